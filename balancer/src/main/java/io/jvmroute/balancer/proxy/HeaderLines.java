package io.jvmroute.balancer.proxy;

import java.util.Arrays;

/**
 * Where a head's header lines are, as a parser finds them: per line four ints (start, end before the line
 * break, colon, kind), offsets relative to the head's first byte. One growing array, reused from head to
 * head, so that recording a line allocates nothing; each head keeps a copy of its own.
 */
final class HeaderLines {

    private int[] lines = new int[4 * 16];
    private int count;

    void reset() {
        count = 0;
    }

    void add(int start, int end, int colon, int kind) {
        if (count * 4 == lines.length) {
            lines = Arrays.copyOf(lines, lines.length * 2);
        }
        int at = count++ * 4;
        lines[at] = start;
        lines[at + 1] = end;
        lines[at + 2] = colon;
        lines[at + 3] = kind;
    }

    int count() {
        return count;
    }

    /** A copy of the lines recorded so far, for the head that keeps them. */
    int[] copy() {
        return Arrays.copyOf(lines, count * 4);
    }
}
