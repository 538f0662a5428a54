// ${Name}_top: the standalone ST-OS accelerator (docs/accel.md). An AXI4-Lite slave for control,
// status and the instruction buffer; AXI4-Stream slave (s_axis) and master (m_axis) for data;
// three scratchpads (activations: ${Rows} banks of ${ActDepth} x ${Cols}*${DataW} bits, one bank per array
// row; weights: ${WgtDepth} x ${Cols}*${DataW} bits; results: ${OutDepth} x ${Cols}*${AccW} bits), the sequencer
// and the ${Rows} x ${Cols} array core ${Core}_top. irq_o = STATUS.DONE && CTRL.IRQ_EN.
module ${Name}_top (
  input                   clk_i,
  input                   rst_ni,
  // AXI4-Lite slave: control, status, instruction buffer
  input      [19:0]       s_axil_awaddr_i,
  input                   s_axil_awvalid_i,
  output                  s_axil_awready_o,
  input      [31:0]       s_axil_wdata_i,
  input      [3:0]        s_axil_wstrb_i,
  input                   s_axil_wvalid_i,
  output                  s_axil_wready_o,
  output     [1:0]        s_axil_bresp_o,
  output                  s_axil_bvalid_o,
  input                   s_axil_bready_i,
  input      [19:0]       s_axil_araddr_i,
  input                   s_axil_arvalid_i,
  output                  s_axil_arready_o,
  output     [31:0]       s_axil_rdata_o,
  output     [1:0]        s_axil_rresp_o,
  output                  s_axil_rvalid_o,
  input                   s_axil_rready_i,
  // AXI4-Stream slave: data in (LOAD)
  input      [${BusW}-1:0]   s_axis_tdata_i,
  input                   s_axis_tvalid_i,
  output                  s_axis_tready_o,
  // AXI4-Stream master: data out (STORE)
  output     [${BusW}-1:0]   m_axis_tdata_o,
  output                  m_axis_tvalid_o,
  input                   m_axis_tready_i,
  output                  m_axis_tlast_o,
  output                  irq_o
);
  localparam Rows = ${Rows};
  localparam Cols = ${Cols};
  localparam DataW = ${DataW};
  localparam AccW = ${AccW};
  localparam WordD = Cols * DataW;

  wire                  start, done_clr, irq_en, busy, done;
  wire [${IbufAW}-1:0]     pc_start, ibuf_waddr, ibuf_raddr;
  wire [${IbufAW}:0]       err_pc;   // one bit wider: a program may run past the buffer
  wire [3:0]            err_code, ibuf_we;
  wire [63:0]           cycles;
  wire [31:0]           ibuf_wdata;
  wire [127:0]          ibuf_rdata;
  assign irq_o = done && irq_en;

  ${Name}_axil u_axil (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .awaddr_i     (s_axil_awaddr_i),
    .awvalid_i    (s_axil_awvalid_i),
    .awready_o    (s_axil_awready_o),
    .wdata_i      (s_axil_wdata_i),
    .wstrb_i      (s_axil_wstrb_i),
    .wvalid_i     (s_axil_wvalid_i),
    .wready_o     (s_axil_wready_o),
    .bresp_o      (s_axil_bresp_o),
    .bvalid_o     (s_axil_bvalid_o),
    .bready_i     (s_axil_bready_i),
    .araddr_i     (s_axil_araddr_i),
    .arvalid_i    (s_axil_arvalid_i),
    .arready_o    (s_axil_arready_o),
    .rdata_o      (s_axil_rdata_o),
    .rresp_o      (s_axil_rresp_o),
    .rvalid_o     (s_axil_rvalid_o),
    .rready_i     (s_axil_rready_i),
    .start_o      (start),
    .done_clr_o   (done_clr),
    .pc_start_o   (pc_start),
    .irq_en_o     (irq_en),
    .busy_i       (busy),
    .done_i       (done),
    .err_code_i   (err_code),
    .err_pc_i     (err_pc),
    .cycles_i     (cycles),
    .ibuf_we_o    (ibuf_we),
    .ibuf_addr_o  (ibuf_waddr),
    .ibuf_wdata_o (ibuf_wdata)
  );

  // Instruction buffer: four 32-bit memories, word k of every instruction in memory k.
  genvar k;
  generate
    for (k = 0; k < 4; k = k + 1) begin : g_ibuf
      ${Name}_mem #(
        .Width (32),
        .Depth (${IbufDepth}),
        .AddrW (${IbufAW})
      ) u_ibuf (
        .clk_i   (clk_i),
        .we_i    (ibuf_we[k]),
        .waddr_i (ibuf_waddr),
        .wdata_i (ibuf_wdata),
        .raddr_i (ibuf_raddr),
        .rdata_o (ibuf_rdata[k*32 +: 32])
      );
    end
  endgenerate

  // Scratchpads.
  wire [Rows*${ActAW}-1:0]       act_raddr;                // one read address per bank
  wire [${ActAW}-1:0]            act_waddr;
  wire [Rows*WordD-1:0]       act_rdata;
  wire [Rows-1:0]             act_we;
  wire [WordD-1:0]            act_wdata;
  wire [${WgtAW}-1:0]            wgt_raddr, wgt_waddr;
  wire [WordD-1:0]            wgt_rdata, wgt_wdata;
  wire                        wgt_we;
  wire [${OutAW}-1:0]            out_raddr, out_waddr;
  wire [Cols*AccW-1:0]        out_rdata, out_wdata;
  wire                        out_we;

  genvar b;
  generate
    for (b = 0; b < Rows; b = b + 1) begin : g_act
      ${Name}_mem #(
        .Width (WordD),
        .Depth (${ActDepth}),
        .AddrW (${ActAW})
      ) u_bank (
        .clk_i   (clk_i),
        .we_i    (act_we[b]),
        .waddr_i (act_waddr),
        .wdata_i (act_wdata),
        .raddr_i (act_raddr[b*${ActAW} +: ${ActAW}]),
        .rdata_o (act_rdata[b*WordD +: WordD])
      );
    end
  endgenerate

  ${Name}_mem #(
    .Width (WordD),
    .Depth (${WgtDepth}),
    .AddrW (${WgtAW})
  ) u_wgt (
    .clk_i   (clk_i),
    .we_i    (wgt_we),
    .waddr_i (wgt_waddr),
    .wdata_i (wgt_wdata),
    .raddr_i (wgt_raddr),
    .rdata_o (wgt_rdata)
  );

  ${Name}_mem #(
    .Width (Cols * AccW),
    .Depth (${OutDepth}),
    .AddrW (${OutAW})
  ) u_out (
    .clk_i   (clk_i),
    .we_i    (out_we),
    .waddr_i (out_waddr),
    .wdata_i (out_wdata),
    .raddr_i (out_raddr),
    .rdata_o (out_rdata)
  );

  // Sequencer and array core.
  wire                  in_en, in_last, in_keep, in_mode, res_valid;
  wire [Rows*DataW-1:0] a;
  wire [Cols*DataW-1:0] bv;
  wire [${RowW}-1:0]       res_row;
  wire [Cols*AccW-1:0]  res_data;
  // CONV taps: array row r takes lane r mod Cols of the weight word (the registered b operand).
  wire [Rows*DataW-1:0] w_taps;
  genvar tr;
  generate
    for (tr = 0; tr < Rows; tr = tr + 1) begin : g_taps
      assign w_taps[tr*DataW +: DataW] = bv[(tr % Cols)*DataW +: DataW];
    end
  endgenerate

  ${Name}_seq u_seq (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .start_i      (start),
    .done_clr_i   (done_clr),
    .pc_start_i   (pc_start),
    .busy_o       (busy),
    .done_o       (done),
    .err_code_o   (err_code),
    .err_pc_o     (err_pc),
    .cycles_o     (cycles),
    .ibuf_raddr_o (ibuf_raddr),
    .ibuf_rdata_i (ibuf_rdata),
    .s_tdata_i    (s_axis_tdata_i),
    .s_tvalid_i   (s_axis_tvalid_i),
    .s_tready_o   (s_axis_tready_o),
    .m_tdata_o    (m_axis_tdata_o),
    .m_tvalid_o   (m_axis_tvalid_o),
    .m_tready_i   (m_axis_tready_i),
    .m_tlast_o    (m_axis_tlast_o),
    .act_raddr_o  (act_raddr),
    .act_rdata_i  (act_rdata),
    .act_we_o     (act_we),
    .act_waddr_o  (act_waddr),
    .act_wdata_o  (act_wdata),
    .wgt_raddr_o  (wgt_raddr),
    .wgt_rdata_i  (wgt_rdata),
    .wgt_we_o     (wgt_we),
    .wgt_waddr_o  (wgt_waddr),
    .wgt_wdata_o  (wgt_wdata),
    .out_raddr_o  (out_raddr),
    .out_rdata_i  (out_rdata),
    .out_we_o     (out_we),
    .out_waddr_o  (out_waddr),
    .out_wdata_o  (out_wdata),
    .in_en_o      (in_en),
    .in_last_o    (in_last),
    .in_keep_o    (in_keep),
    .in_mode_o    (in_mode),
    .a_o          (a),
    .b_o          (bv),
    .res_valid_i  (res_valid),
    .res_row_i    (res_row),
    .res_data_i   (res_data)
  );

  ${Core}_top u_core (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .in_en_i     (in_en),
    .in_last_i   (in_last),
    .in_keep_i   (in_keep),
    .in_mode_i   (in_mode),
    .a_i         (a),
    .b_i         (bv),
    .w_i         (w_taps),
    .out_valid_o (res_valid),
    .out_row_o   (res_row),
    .out_data_o  (res_data)
  );
endmodule
