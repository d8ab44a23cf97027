# Lines from a plot clause built by report.py. Variables: out, plot, xlabel, ylabel, title.
set terminal svg size 1000,480 dynamic font "sans,11" background "white"
set output out
set title title
set xlabel xlabel
set ylabel ylabel
set grid
set key top left
eval "plot " . plot
