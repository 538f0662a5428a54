// Entry point of the Verilated null-cache testbench (see nc_tb_app.h).
#include "tb/nullcache/nc_tb_app.h"

int main(int argc, char** argv) { return nctb::NcTbApp(argc, argv).run(); }
