// Properties of the method that hold for every input of a family, checked with CsCheck on
// generated series: a steady pump's error is the same in every window whatever the sampling,
// and the extremes of windows that tile T2 bracket the mean error.
using CsCheck;
using PumpCtl.Analysis;
using Xunit;

namespace PumpCtl.Tests.Analysis;

public class TrumpetPropertyTests
{
    [Fact]
    public void A_steady_pump_off_by_x_percent_shows_x_in_every_window_however_irregular_the_rows()
    {
        // Rows 1 to 45 s apart (up to 1.5 Δt), a rate of 1 to 1000 µL/h, an error of ±20 %:
        // the volume is linear, interpolation is exact, so A = x and every Ep = x.
        var gen = Gen.Select(Gen.Double[1, 1000], Gen.Double[-20, 20], Gen.Int[0, int.MaxValue]);
        gen.Sample((rateUlH, x, seed) =>
        {
            var random = new Random(seed);
            var rows = new List<LogSample>();
            double t = 0;
            while (t <= 125 * 60)
            {
                rows.Add(new LogSample(t, (1 + x / 100) * rateUlH * t / 3600, rateUlH * 24));
                t += 1 + random.NextDouble() * 44;
            }
            TrumpetResult r = TrumpetAnalyzer.Analyze(rows, new TrumpetOptions());
            Assert.Equal(x, r.MeanErrorPercent, 1e-6);
            Assert.All(r.Windows, w =>
            {
                Assert.Equal(x, w.EpMaxPercent, 1e-6);
                Assert.Equal(x, w.EpMinPercent, 1e-6);
            });
        }, iter: 60);
    }

    [Fact]
    public void When_P_divides_T2_the_window_extremes_bracket_the_mean_error()
    {
        // The disjoint windows [0, P], [P, 2P], ... tile T2 and are among the sliding ones, and
        // the mean over T2 is the mean of their means: so Ep(min) <= A <= Ep(max), for any flow.
        // (Not so when P does not divide T2: flow bunched in the middle of T2 lies inside every
        // 31 min window of a 60 min T2, and then even Ep(min) > A.)
        var options = new TrumpetOptions { WindowsMinutes = new[] { 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60 } };
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var random = new Random(seed);
            var rows = new List<LogSample>();
            double v = 0;
            for (int k = 0; k <= 260; k++)
            {
                rows.Add(new LogSample(k * 30, v, 1440));
                v += random.Next(4) == 0 ? 0 : random.NextDouble() * 3;   // any non-negative, bursty flow
            }
            TrumpetResult r = TrumpetAnalyzer.Analyze(rows, options);
            Assert.All(r.Windows, w =>
            {
                Assert.True(w.EpMinPercent <= r.MeanErrorPercent + 1e-9, $"P={w.WindowMinutes}: Ep(min) {w.EpMinPercent} > A {r.MeanErrorPercent}");
                Assert.True(w.EpMaxPercent >= r.MeanErrorPercent - 1e-9, $"P={w.WindowMinutes}: Ep(max) {w.EpMaxPercent} < A {r.MeanErrorPercent}");
            });
            // P = T2 has one window, and it is T2 itself.
            Assert.Equal(r.MeanErrorPercent, r.Windows[^1].EpMaxPercent, 1e-9);
            Assert.Equal(1, r.Windows[^1].WindowCount);
        }, iter: 100);
    }

    [Fact]
    public void Parsers_never_throw_on_arbitrary_text()
    {
        Gen.String.Sample(s =>
        {
            PumpCtl.Balance.MtSicsParser.Parse(s);
            PumpCtl.Telemetry.TelemetryRecord.TryParse("!TEL " + s, out _, out _);
            PumpCtl.Serial.ProtocolLine.TryStripCrc(s, out _);
            PumpCtl.Serial.ProtocolLine.Fields(s);
        }, iter: 2000);
    }
}
