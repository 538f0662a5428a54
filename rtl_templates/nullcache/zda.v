// ${Name}_zda: zero detector and approximator over one fill line.
//
// Computes exact_o = every bit of line_i is 0, and zero_o = the line counts as zero:
//   Mode 0 (exact):  zero_o = exact_o;
//   Mode 1 (int):    every ElemW-bit two's-complement element has |x| <= Thresh;
//   Mode 2 (float):  every float32 element has a biased exponent (bits 30:23) < ExpThresh.
// An all-zero line always counts as zero (also for ExpThresh = 0). Element e is
// line_i[e*ElemW +: ElemW]; byte b of the line is line_i[8*b +: 8] (little endian), so the
// elements are the little-endian words of the line. Combinational, no state.
// Invariant: exact_o implies zero_o; approximated = zero_o & ~exact_o.
// Parameters: LineW (line bits, 32..2048), ElemW (8, 16, 32; dividing LineW), Mode (0..2),
// Thresh (0..2^(ElemW-1)), ExpThresh (0..255).
module ${Name}_zda #(
  parameter LineW     = 256,
  parameter ElemW     = 32,
  parameter Mode      = 0,
  parameter Thresh    = 0,
  parameter ExpThresh = 0
) (
  input  wire [LineW-1:0] line_i,
  output wire             zero_o,
  output wire             exact_o
);

  localparam Elems = LineW / ElemW;  // elements per line

  assign exact_o = ~|line_i;

  generate
    if (Mode == 0) begin : g_exact
      assign zero_o = exact_o;
    end else begin : g_approx
      wire [Elems-1:0] elem_small;  // element e counts as zero
      genvar e;
      for (e = 0; e < Elems; e = e + 1) begin : g_elem
        wire [ElemW-1:0] x = line_i[e*ElemW +: ElemW];  // element e
        if (Mode == 1) begin : g_int
          // |x| as an unsigned ElemW+1-bit magnitude (the most negative value has no
          // ElemW-bit positive counterpart).
          localparam [ElemW:0] ThreshW = Thresh;
          wire [ElemW:0] ext = {x[ElemW-1], x};                      // sign-extended x
          wire [ElemW:0] mag = x[ElemW-1] ? (~ext + 1'b1) : ext;     // |x|
          assign elem_small[e] = mag <= ThreshW;
        end else begin : g_float
          localparam [8:0] ExpT = ExpThresh;
          assign elem_small[e] = {1'b0, x[30:23]} < ExpT;
          wire unused_sign_mantissa = ^{x[31], x[22:0]};  // only the exponent matters
        end
      end
      assign zero_o = exact_o | (&elem_small);
    end
  endgenerate

endmodule
