set terminal pngcairo size 1100,700 noenhanced font ',11'
set output 'latency.png'
set title 'MQTT broker comparison, 2026-12-04T1943Z: latency vs offered load'
set xlabel 'offered load (msg/s)'
set ylabel 'end-to-end latency (ms, log scale)'
set logscale y
set grid
set key outside right top
plot 'latency-sidecar.dat' using 1:4 with linespoints lc 1 pt 7 dt 1 title 'sidecar p99', \
     'latency-sidecar.dat' using 1:3 with linespoints lc 1 pt 6 dt 2 title 'sidecar p50', \
     'latency-mosquitto.dat' using 1:4 with linespoints lc 2 pt 7 dt 1 title 'mosquitto p99', \
     'latency-mosquitto.dat' using 1:3 with linespoints lc 2 pt 6 dt 2 title 'mosquitto p50'
