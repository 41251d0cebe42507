package dev.headend.bench;

import java.util.List;

/** Order statistics over a sample of measurements (milliseconds). */
record Stats(int count, double median, double p95, double p99, double min, double max) {
    static Stats of(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Stats(v.length, pct(v, 50), pct(v, 95), pct(v, 99), v[0], v[v.length - 1]);
    }

    /** Nearest-rank percentile. */
    private static double pct(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "median %.1f, p95 %.1f, p99 %.1f (n=%d, min %.1f, max %.1f)",
                median, p95, p99, count, min, max);
    }
}
