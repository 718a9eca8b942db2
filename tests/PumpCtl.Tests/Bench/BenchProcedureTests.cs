// The bench commands reproduce what the virtual device's plant is set to (issue 18): a line of
// compliance C blocked under a limit P alarms when C x P / 100 has been pushed, after that volume
// over the rate, and gives it back as the bolus; a pump head with a bias of +2 % weighs +2 % in
// every bolus size.
using System.Text.Json;
using PumpCtl.Bench;
using PumpCtl.Serial;
using PumpCtl.Tests.Cli;
using PumpFirmware.VirtualDevice.Device;
using Xunit;

namespace PumpCtl.Tests.Bench;

public sealed class BenchProcedureTests
{
    private static BenchSession Session(VirtualPumpOptions options, out VirtualBench bench)
    {
        bench = new VirtualBench(options);
        var client = new PumpClient(bench.PumpLine) { Timeout = TimeSpan.FromSeconds(60) };
        return new BenchSession(client, bench.BalanceLine, "0000", simAdvance: true, TextWriter.Null);
    }

    /// <summary>(compliance µL/100 mmHg, limit mmHg, rate µL/h).</summary>
    public static TheoryData<double, double, double> Lines => new()
    {
        { 10, 300, 10 },   // 30 uL at 10 uL/h: 3 h
        { 10, 300, 600 },  // the same line at a bolus-like rate: 3 min
        { 2, 100, 60 },    // a stiff line: 2 uL in 2 min
        { 40, 500, 120 },  // a soft line under a high limit: 200 uL in 100 min
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Occlusion_alarms_at_C_times_P_over_100_after_that_volume_over_the_rate_and_releases_it_as_the_bolus(double compliance, double limit, double rate)
    {
        var session = Session(new VirtualPumpOptions { PressurePlant = true, ComplianceMicrolitersPer100MmHg = compliance, Seed = 7 }, out VirtualBench bench);
        var options = new OcclusionOptions { RateMicrolitersPerHour = rate, LimitMmHg = limit, SettleMinutes = 5, SampleSeconds = 10, RefillMicroliters = 20000 };
        OcclusionResult r = new OcclusionBench(session, options, TextWriter.Null).Run(_ => throw new InvalidOperationException("no operator on the virtual device"));

        double expectedUl = compliance * limit / 100;
        // The sensor reads whole mV (0.5 mmHg: C x 0.5 / 100 uL) and the filter alarms at the second sample over the
        // limit (at most 2 s of flow more); the pump counts whole steps (1/64 uL).
        double tolerance = compliance * 0.5 / 100 + rate / 3600 * 2 + 1.0 / 64;
        Assert.InRange(r.VolumeToAlarmMicroliters, expectedUl - tolerance, expectedUl + tolerance);
        double expectedS = expectedUl / rate * 3600;
        Assert.InRange(r.TimeToAlarmSeconds, expectedS - tolerance / rate * 3600 - 1, expectedS + tolerance / rate * 3600 + 2);
        Assert.InRange(r.PressureAtAlarmMmHg, limit, limit + 0.5 + rate / 3600 * 2 / compliance * 100);
        // The bolus: what was held back, weighed at 0.1 mg.
        Assert.InRange(r.BolusMicroliters, r.VolumeToAlarmMicroliters - 0.11, r.VolumeToAlarmMicroliters + 0.11);
        Assert.Equal(bench.Pump.PressureModel!.ReleasedNanoliters / 1000, r.BolusMicroliters, 0.11);
        Assert.Equal(limit, r.LimitMmHg);
        // The time series has every phase, and the pump ends acknowledged and SUSPENDED.
        Assert.Equal(new[] { "settle", "occluded", "alarm", "release" }, r.Samples.Select(s => s.Phase).Distinct());
        Assert.Equal("SUSPENDED", session.Status()["state"]);
    }

    [Fact]
    public void A_leak_that_holds_the_pressure_under_the_limit_ends_the_test_with_a_clear_error()
    {
        // Rate 10 uL/h with a 1 h leak: at most 10 uL held = 100 mmHg < 300.
        var session = Session(new VirtualPumpOptions { PressurePlant = true, PressureLeakSeconds = 3600 }, out _);
        var options = new OcclusionOptions { RateMicrolitersPerHour = 10, SettleMinutes = 1, SampleSeconds = 60, MaxMinutes = 600, RefillMicroliters = 20000 };
        var e = Assert.Throws<BenchException>(() => new OcclusionBench(session, options, TextWriter.Null).Run(_ => { }));
        Assert.Contains("no OCCLUSION within 10 h", e.Message);
    }

    [Fact]
    public void Occlusion_needs_a_pressure_sensor()
    {
        var session = Session(new VirtualPumpOptions(), out _);
        var e = Assert.Throws<BenchException>(() => new OcclusionBench(session, new OcclusionOptions(), TextWriter.Null).Run(_ => { }));
        Assert.Contains("PRESSURE? fitted=NO", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20000)]
    [InlineData(-15000)]
    public void A_plant_bias_shows_as_that_bolus_error_in_every_size(int biasPpm)
    {
        var session = Session(new VirtualPumpOptions { CalibrationErrorPpm = biasPpm }, out _);
        double[] sizes = { 20, 200, 2000 };
        var options = new BolusOptions { SizesMicroliters = sizes, Repeats = 3, RefillMicroliters = 20000 };
        BolusResult r = new BolusBench(session, options, TextWriter.Null).Run();

        Assert.Equal(9, r.Shots.Count);
        foreach (BolusSizeSummary s in r.Sizes)
        {
            Assert.Equal(3, s.Count);
            // Each weighing is at 0.1 mg (0.1 uL of water, twice: before and after) and the pump counts whole steps.
            double tolerance = 100 * (0.2 / 0.998 + 1.0 / 64) / s.SizeMicroliters;
            Assert.InRange(s.MeanErrorPercent, biasPpm / 1e4 - tolerance, biasPpm / 1e4 + tolerance);
            Assert.InRange(s.WorstErrorPercent, biasPpm / 1e4 - tolerance, biasPpm / 1e4 + tolerance);
        }
        // 2000 uL at 64000 steps/mL and 1000 steps/s: 128000 steps at most 800/s, so 3 minutes.
        Assert.Equal(3, r.Shots.Last().DurationMinutes);
        Assert.Equal(1, r.Shots.First().DurationMinutes);
    }

    [Fact]
    public void The_duration_keeps_the_motor_under_80_percent_of_its_maximum()
    {
        Assert.Equal(1, BolusBench.DurationMinutes(1, 64000, 1000));
        Assert.Equal(1, BolusBench.DurationMinutes(750, 64000, 1000));   // 48000 steps = 800/s for 60 s exactly
        Assert.Equal(2, BolusBench.DurationMinutes(750.1, 64000, 1000));
    }

    [Fact]
    public void Worst_error_is_the_signed_error_of_largest_magnitude()
    {
        var shots = new[]
        {
            new BolusShot(10, 1, 1, 0, 10.1, 1),
            new BolusShot(10, 2, 1, 0, 9.7, -3),
            new BolusShot(10, 3, 1, 0, 10.2, 2),
        };
        BolusSizeSummary s = BolusSizeSummary.Of(10, shots);
        Assert.Equal(-3, s.WorstErrorPercent);
        Assert.Equal(0, s.MeanErrorPercent, 9);
        Assert.Equal(Math.Sqrt((0.01 + 0.09 + 0.04) / 2), s.StdDevMicroliters, 9);
    }
}

[Collection("Console")]
public sealed class BenchCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pumpctl-bench-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    [Fact]
    public void Bench_occlusion_on_a_virtual_device_writes_csv_json_and_a_figure()
    {
        var (exit, output, err) = ConsoleCapture.Run(new[] { "bench", "occlusion", "--sim", "--rate-ul-h", "60", "--compliance-ul", "5",
            "--limit-mmhg", "200", "--settle-min", "2", "--sample-s", "10", "--format", "svg", "--out", _dir });
        Assert.True(exit == 0, err);
        Assert.Contains("OCCLUSION after", output);
        string[] csv = File.ReadAllLines(Path.Combine(_dir, "occlusion.csv"));
        Assert.Equal("t_s,phase,mass_g,pressure_mmhg,delivered_ul,state,alarms", csv[0]);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "occlusion.json")));
        // 5 uL/100 mmHg x 200 mmHg = 10 uL: 10 minutes at 60 uL/h.
        Assert.Equal(10, json.RootElement.GetProperty("volume_to_alarm_ul").GetDouble(), 0.1);
        Assert.InRange(json.RootElement.GetProperty("time_to_alarm_s").GetDouble(), 598, 603);
        Assert.Equal(10, json.RootElement.GetProperty("bolus_ul").GetDouble(), 0.15);
        Assert.StartsWith("<?xml", File.ReadAllText(Path.Combine(_dir, "occlusion.svg")));
    }

    [Fact]
    public void Bench_bolus_on_a_virtual_device_writes_csv_and_json()
    {
        var (exit, output, err) = ConsoleCapture.Run(new[] { "bench", "bolus", "--sim", "--sizes-ul", "10,100,1000", "--repeats", "2",
            "--cal-error-ppm", "20000", "--out", _dir });
        Assert.True(exit == 0, err);
        Assert.Equal(7, File.ReadAllLines(Path.Combine(_dir, "bolus.csv")).Length);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "bolus.json")));
        JsonElement largest = json.RootElement.GetProperty("sizes")[2];
        Assert.Equal(1000, largest.GetProperty("size_ul").GetDouble());
        Assert.Equal(2, largest.GetProperty("mean_error_pct").GetDouble(), 0.05);
        Assert.Contains("mean error +2.0", output);
    }

    [Theory]
    [InlineData("occlusion")]
    [InlineData("bolus")]
    public void Without_a_port_or_sim_it_is_a_usage_error(string test)
    {
        var (exit, output, err) = ConsoleCapture.Run(new[] { "bench", test, "--out", _dir });
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith($"pumpctl bench {test}: give --port and --balance", err);
        Assert.False(Directory.Exists(_dir));
    }
}
