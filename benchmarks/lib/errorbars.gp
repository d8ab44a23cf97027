# Bars with min–max error bars from rows: "label" median min max. Variables: data, out, ylabel, title.
set terminal svg size 1000,480 dynamic font "sans,11" background "white"
set output out
set title title
set style fill solid 0.85 border -1
set boxwidth 0.7
set ylabel ylabel
set grid ytics
set xtics rotate by -30 scale 0
set yrange [0:*]
set key off
plot data using 0:2:xtic(1) with boxes lc rgb "#4e79a7", '' using 0:2:3:4 with yerrorbars lc rgb "black" pt 0
