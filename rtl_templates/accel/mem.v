// ${Name}_mem: simple dual-port synchronous memory, one write port and one registered read
// port, written so that synthesis infers block RAM (iCE40 EBR/SPRAM, Xilinx BRAM) or an SRAM
// macro. Read latency 1: rdata_o holds mem[raddr_i] of the previous cycle. A read of the address
// written in the same cycle returns the old contents. No reset (memories have none).
// Parameters: Width (bits per word), Depth (words), AddrW (>= clog2(Depth), >= 1).
module ${Name}_mem #(
  parameter Width = 8,
  parameter Depth = 16,
  parameter AddrW = 4
) (
  input                  clk_i,
  input                  we_i,
  input      [AddrW-1:0] waddr_i,
  input      [Width-1:0] wdata_i,
  input      [AddrW-1:0] raddr_i,
  output reg [Width-1:0] rdata_o
);
  reg [Width-1:0] mem_q [0:Depth-1];

  always @(posedge clk_i) begin
    if (we_i) mem_q[waddr_i] <= wdata_i;
    rdata_o <= mem_q[raddr_i];
  end
endmodule
