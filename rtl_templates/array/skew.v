// ${Name}_skew: per-lane delay lines that skew (or de-skew) a bundle of lanes.
/*
 * What it computes
 *   out lane l = in lane l delayed by Depth(l) clock cycles, where
 *     Depth(l) = l               (Reverse = 0: input skew of the array edges)
 *     Depth(l) = Lanes - 1 - l   (Reverse = 1: output de-skew of the drained columns)
 *   Shared = 1: one input lane feeds a single tapped delay line; out lane l is that input
 *   delayed by l cycles (same timing as Reverse = 0 with the input replicated on every lane,
 *   with Lanes - 1 registers instead of Lanes * (Lanes - 1) / 2). Used for the control bits.
 * Latency
 *   Depth(l) cycles for lane l; a lane of depth 0 is a wire (combinational).
 * Invariants
 *   Reset = 1: every register is cleared by rst_ni (asynchronous, active low); use it for
 *   control. Reset = 0: plain data registers, not reset (values only matter where used).
 * Parameters
 *   Lanes >= 1, Width >= 1, Reverse and Shared and Reset in {0, 1}; Shared implies Reverse = 0.
 */
module ${Name}_skew #(
  parameter integer Lanes   = 1,
  parameter integer Width   = 1,
  parameter integer Reverse = 0,
  parameter integer Shared  = 0,
  parameter integer Reset   = 0
) (
  input  wire                                      clk_i,
  input  wire                                      rst_ni,
  input  wire [((Shared != 0) ? 1 : Lanes)*Width-1:0] in_i,
  output wire [Lanes*Width-1:0]                    out_o
);

  // Depth-0 lanes and reset-free instances leave the clock or the reset unconnected.
  wire unused_clk_rst;
  assign unused_clk_rst = clk_i ^ rst_ni;

  genvar l;
  generate
    if (Shared != 0) begin : g_shared
      // Tapped delay line: lane 0 is the input, lane l is lane l - 1 one cycle later.
      assign out_o[0 +: Width] = in_i;
      for (l = 1; l < Lanes; l = l + 1) begin : g_tap
        reg [Width-1:0] tap_q;  // input delayed by l cycles
        if (Reset != 0) begin : g_rst
          always @(posedge clk_i${RstEvent}) begin
            if (!rst_ni) tap_q <= {Width{1'b0}};
            else         tap_q <= out_o[(l-1)*Width +: Width];
          end
        end else begin : g_norst
          always @(posedge clk_i) tap_q <= out_o[(l-1)*Width +: Width];
        end
        assign out_o[l*Width +: Width] = tap_q;
      end
    end else begin : g_lanes
      for (l = 0; l < Lanes; l = l + 1) begin : g_lane
        localparam integer Depth = (Reverse != 0) ? Lanes - 1 - l : l;
        if (Depth == 0) begin : g_wire
          assign out_o[l*Width +: Width] = in_i[l*Width +: Width];
        end else begin : g_pipe
          // One shift register per lane: stage k (the input delayed k + 1 cycles) at
          // pipe_q[k*Width +: Width]; chain = {pipe_q, input}, the top stage is the output.
          reg  [Depth*Width-1:0]     pipe_q;
          wire [(Depth+1)*Width-1:0] chain = {pipe_q, in_i[l*Width +: Width]};
          if (Reset != 0) begin : g_rst
            always @(posedge clk_i${RstEvent}) begin
              if (!rst_ni) pipe_q <= {(Depth*Width){1'b0}};
              else         pipe_q <= chain[Depth*Width-1:0];
            end
          end else begin : g_norst
            always @(posedge clk_i) pipe_q <= chain[Depth*Width-1:0];
          end
          assign out_o[l*Width +: Width] = chain[Depth*Width +: Width];
        end
      end
    end
  endgenerate

endmodule
