#!/bin/sh
# Interrupts `fusegen trace` (SIGTERM) while it writes and checks that neither the trace nor its
# temporary file is left behind:   trace_interrupt.sh FUSEGEN
fusegen=$1
rm -f int.din int.din.tmp.*
"$fusegen" trace --network alexnet --layers conv2 --max-records 50000000 --out int.din >/dev/null &
pid=$!
sleep 1
ls int.din.tmp.* >/dev/null 2>&1 || { echo "no temporary trace after 1 s"; exit 3; }
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 143 ] || { echo "fusegen trace exited with $rc, not by SIGTERM (143)"; exit 4; }
if ls int.din int.din.tmp.* 2>/dev/null; then echo "files left behind"; exit 5; fi
echo "interrupted, nothing left"
