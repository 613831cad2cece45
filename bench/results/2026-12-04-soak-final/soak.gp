set terminal pngcairo size 1100,1000 noenhanced font ',10'
set output 'soak.png'
set datafile separator ','
set key autotitle columnhead
set grid
set xlabel 'minutes'
set multiplot layout 3,2 title 'Soak of the sidecar, 60 min, --durability fsync, @config/jvm.options -Xmx256m (2026-12-04T16:21:12Z, 2 CPUs)'
set title 'heap after GC and RSS (MiB)'
set yrange [0:*]
plot 'soak.csv' using ($1/60):($2/1024) with linespoints pt 7 ps 0.5 title 'heap after GC', '' using ($1/60):($3/1024) with linespoints pt 7 ps 0.5 title 'RSS'
set title 'threads'
plot 'soak.csv' using ($1/60):4 with linespoints pt 7 ps 0.5 notitle
set title 'open file descriptors'
plot 'soak.csv' using ($1/60):5 with linespoints pt 7 ps 0.5 notitle
set title 'store on disk (MiB)'
plot 'soak.csv' using ($1/60):($6/1048576) with linespoints pt 7 ps 0.5 notitle
set title 'messages and calls so far'
plot 'soak.csv' using ($1/60):7 with lines title 'sent', '' using ($1/60):9 with lines title 'received', '' using ($1/60):13 with lines title 'state calls'
set title 'errors and messages in flight'
plot 'soak.csv' using ($1/60):11 with linespoints pt 7 ps 0.5 title 'errors', '' using ($1/60):10 with linespoints pt 7 ps 0.5 title 'in flight'
unset multiplot
