# Latency over time around the kill (t = 0), log y. Variables: out, plot, title.
set terminal svg size 1000,480 dynamic font "sans,11" background "white"
set output out
set title title
set xlabel "ms since the kill (request sent)"
set ylabel "latency, ms (log scale)"
set logscale y
set grid
set key top right
set arrow from 0, graph 0 to 0, graph 1 nohead dt 2 lc rgb "red"
eval "plot " . plot
