// ${Name}_axil: AXI4-Lite slave (32-bit data, 20-bit byte addresses) holding the control and
// status registers of the accelerator and the write port of its instruction buffer
// (docs/accel.md, register map). One write and one read in flight; AW and W may arrive in any
// order or together; a write is answered on B one cycle after both were accepted, a read on R
// one cycle after AR. Only full-word writes (wstrb = 4'hf) take effect; others, writes to
// read-only registers, reads of the write-only instruction window and unmapped addresses
// answer SLVERR and change nothing. AWPROT/ARPROT are not ports (no protection levels).
module ${Name}_axil (
  input                     clk_i,
  input                     rst_ni,
  // AXI4-Lite slave
  input      [19:0]         awaddr_i,
  input                     awvalid_i,
  output                    awready_o,
  input      [31:0]         wdata_i,
  input      [3:0]          wstrb_i,
  input                     wvalid_i,
  output                    wready_o,
  output reg [1:0]          bresp_o,
  output reg                bvalid_o,
  input                     bready_i,
  input      [19:0]         araddr_i,
  input                     arvalid_i,
  output                    arready_o,
  output reg [31:0]         rdata_o,
  output reg [1:0]          rresp_o,
  output reg                rvalid_o,
  input                     rready_i,
  // to the sequencer
  output reg                start_o,      // one-cycle pulse: CTRL.START written while idle
  output reg                done_clr_o,   // one-cycle pulse: STATUS.DONE written with 1
  output reg [${IbufAW}-1:0]   pc_start_o,   // PC_START
  output reg                irq_en_o,     // CTRL.IRQ_EN
  input                     busy_i,
  input                     done_i,
  input      [3:0]          err_code_i,
  input      [${IbufAW}:0]     err_pc_i,
  input      [63:0]         cycles_i,
  // instruction buffer write port: word ibuf_word_o (0..3) of instruction ibuf_addr_o
  output reg [3:0]          ibuf_we_o,
  output reg [${IbufAW}-1:0]   ibuf_addr_o,
  output reg [31:0]         ibuf_wdata_o
);
  localparam [15:0] IbufLimit = 16'd${IbufDepth};  // instructions in the buffer
  localparam [1:0] Okay = 2'b00, SlvErr = 2'b10;

  // ---------------------------------------------------------------- write channel
  reg        aw_full_q, w_full_q;
  reg [19:0] awaddr_q;
  reg [31:0] wdata_q;
  reg [3:0]  wstrb_q;
  assign awready_o = !aw_full_q;
  assign wready_o  = !w_full_q;
  wire do_write = aw_full_q && w_full_q && !bvalid_o;

  // Decode of the held write address.
  wire        w_ibuf    = awaddr_q[19] && ({1'b0, awaddr_q[18:4]} < IbufLimit)
                        && awaddr_q[1:0] == 2'b00;
  wire        w_ctrl    = awaddr_q == 20'h00000;
  wire        w_status  = awaddr_q == 20'h00004;
  wire        w_pcstart = awaddr_q == 20'h00008;
  wire        w_full    = wstrb_q == 4'hf;
  wire        w_ok      = w_full && (w_ibuf || w_ctrl || w_status || w_pcstart);

  always @(posedge clk_i${RstEvent}) begin
    if (!rst_ni) begin
      aw_full_q <= 1'b0;
      w_full_q <= 1'b0;
      bvalid_o <= 1'b0;
      bresp_o <= Okay;
      start_o <= 1'b0;
      done_clr_o <= 1'b0;
      pc_start_o <= {${IbufAW}{1'b0}};
      irq_en_o <= 1'b0;
      ibuf_we_o <= 4'b0;
    end else begin
      start_o <= 1'b0;
      done_clr_o <= 1'b0;
      ibuf_we_o <= 4'b0;
      if (awvalid_i && awready_o) aw_full_q <= 1'b1;
      if (wvalid_i && wready_o) w_full_q <= 1'b1;
      if (bvalid_o && bready_i) bvalid_o <= 1'b0;
      if (do_write) begin
        aw_full_q <= 1'b0;
        w_full_q <= 1'b0;
        bvalid_o <= 1'b1;
        bresp_o <= w_ok ? Okay : SlvErr;
        if (w_full && w_ibuf) ibuf_we_o <= 4'b0001 << awaddr_q[3:2];
        if (w_full && w_ctrl) begin
          irq_en_o <= wdata_q[1];
          start_o <= wdata_q[0] && !busy_i;
        end
        if (w_full && w_status) done_clr_o <= wdata_q[1];
        if (w_full && w_pcstart) pc_start_o <= wdata_q[${IbufAW}-1:0];
      end
    end
  end

  always @(posedge clk_i) begin
    if (awvalid_i && awready_o) awaddr_q <= awaddr_i;
    if (wvalid_i && wready_o) begin
      wdata_q <= wdata_i;
      wstrb_q <= wstrb_i;
    end
    ibuf_addr_o <= awaddr_q[${IbufAW}+3:4];
    ibuf_wdata_o <= wdata_q;
  end

  // ---------------------------------------------------------------- read channel
  assign arready_o = !rvalid_o;
  reg [31:0] rd_word;
  reg        rd_ok;
  always @(*) begin
    rd_ok = 1'b1;
    case (araddr_i)
      20'h00000: rd_word = {30'd0, irq_en_o, 1'b0};
      20'h00004: rd_word = {20'd0, err_code_i, 5'd0, err_code_i != 4'd0, done_i, busy_i};
      20'h00008: rd_word = {{(32-${IbufAW}){1'b0}}, pc_start_o};
      20'h0000c: rd_word = {{(31-${IbufAW}){1'b0}}, err_pc_i};
      20'h00010: rd_word = cycles_i[31:0];
      20'h00014: rd_word = cycles_i[63:32];
      20'h00018: rd_word = {16'd${Cols}, 16'd${Rows}};
      20'h0001c: rd_word = {16'd${BusW}, 8'd${AccW}, 8'd${DataW}};
      20'h00020: rd_word = 32'd${ActDepth};
      20'h00024: rd_word = 32'd${WgtDepth};
      20'h00028: rd_word = 32'd${OutDepth};
      20'h0002c: rd_word = 32'd${IbufDepth};
      20'h00030: rd_word = 32'h${IsaId};
      20'h00034: rd_word = 32'h${Features};
      default: begin
        rd_word = 32'd0;
        rd_ok = 1'b0;
      end
    endcase
  end

  always @(posedge clk_i${RstEvent}) begin
    if (!rst_ni) begin
      rvalid_o <= 1'b0;
      rresp_o <= Okay;
    end else begin
      if (rvalid_o && rready_i) rvalid_o <= 1'b0;
      if (arvalid_i && arready_o) begin
        rvalid_o <= 1'b1;
        rresp_o <= rd_ok ? Okay : SlvErr;
      end
    end
  end

  always @(posedge clk_i)
    if (arvalid_i && arready_o) rdata_o <= rd_word;
endmodule
