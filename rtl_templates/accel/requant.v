// ${Name}_requant: requantization of one drained array row (Cols lanes), the block rule of
// docs/operators.md: v = relu ? max(acc, 0) : acc; if shift > 0, v = floor((v + 2^(shift-1)) /
// 2^shift) (round half up); y = clamp(v, -2^(DataW-1), 2^(DataW-1) - 1).
// Latency 3 (stage 1: ReLU and rounding offset, stage 2: arithmetic shift, stage 3: clamp;
// on iCE40 one stage holding shift and clamp limited the accelerator to 24 MHz); valid_i,
// row_i travel with the data. Lanes are independent; shift_i, relu_i are held by the sequencer
// for the whole instruction (set at its decode, cycles before its first result), so the
// rounding offset 2^(shift-1) is decoded into a register of its own (half_q) rather than in
// front of the stage-1 adder (the OSU018 critical path). Data registers have no reset; the
// valid bits do.
module ${Name}_requant (
  input                         clk_i,
  input                         rst_ni,
  input                         valid_i,
  input      [${RowW}-1:0]         row_i,
  input      [${Cols}*${AccW}-1:0]   data_i,
  input      [5:0]              shift_i,
  input                         relu_i,
  output reg                    valid_o,
  output reg [${RowW}-1:0]         row_o,
  output     [${Cols}*${DataW}-1:0]  data_o
);
  localparam Cols = ${Cols};
  localparam AccW = ${AccW};
  localparam DataW = ${DataW};
  localparam ExtW = AccW + 1;  // room for the rounding offset

  reg              valid_q, valid_q2;
  reg [${RowW}-1:0]   row_q, row_q2;
  reg [5:0]        shift_q;
  reg [ExtW-1:0]   half_q;  // 2^(shift_i - 1) for shift_i > 0, else 0

  always @(posedge clk_i${RstEvent}) begin
    if (!rst_ni) begin
      valid_q <= 1'b0;
      valid_q2 <= 1'b0;
      valid_o <= 1'b0;
    end else begin
      valid_q <= valid_i;
      valid_q2 <= valid_q;
      valid_o <= valid_q2;
    end
  end

  always @(posedge clk_i) begin
    row_q <= row_i;
    row_q2 <= row_q;
    row_o <= row_q2;
    shift_q <= shift_i;
    half_q <= (shift_i == 6'd0) ? {ExtW{1'b0}} : ({{(ExtW-1){1'b0}}, 1'b1} << (shift_i - 6'd1));
  end

  genvar c;
  generate
    for (c = 0; c < Cols; c = c + 1) begin : g_lane
      wire signed [AccW-1:0] acc = data_i[c*AccW +: AccW];
      wire signed [ExtW-1:0] relu_v = (relu_i && acc[AccW-1]) ? {ExtW{1'b0}} : {acc[AccW-1], acc};
      reg  signed [ExtW-1:0] sum_q;
      always @(posedge clk_i) sum_q <= relu_v + $signed(half_q);
      reg  signed [ExtW-1:0] shifted;
      always @(posedge clk_i) shifted <= sum_q >>> shift_q;
      wire sat_hi = shifted > $signed({{(ExtW-DataW+1){1'b0}}, {(DataW-1){1'b1}}});
      wire sat_lo = shifted < $signed({{(ExtW-DataW+1){1'b1}}, {(DataW-1){1'b0}}});
      reg [DataW-1:0] y_q;
      always @(posedge clk_i)
        y_q <= sat_hi ? {1'b0, {(DataW-1){1'b1}}}
             : sat_lo ? {1'b1, {(DataW-1){1'b0}}} : shifted[DataW-1:0];
      assign data_o[c*DataW +: DataW] = y_q;
    end
  endgenerate
endmodule
