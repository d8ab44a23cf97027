# Clustered bars from a table whose first row names the columns: one cluster per row, one bar per column 2..n+1.
# Variables (gnuplot -e): data, out, n (columns), ylabel, title, logscale ("1" for a log y axis).
set terminal svg size 1000,480 dynamic font "sans,11" background "white"
set output out
set title title
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top right outside
set ylabel ylabel
set grid ytics
set xtics rotate by -30 scale 0
set yrange [0:*]
if (logscale eq "1") { set logscale y; set yrange [*:*] }
plot for [i=2:n+1] data using i:xtic(1) title columnheader(i)
