using System.Globalization;
using System.Text;
using CsCheck;
using PumpFirmware.VirtualDevice.Scenarios;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Scenarios;

/// <summary>
/// A swarm of random scenarios, each built from one seed: random flex programs (1 to 4 steps,
/// any concentration, a limit between the worst day and 20 % above it), PTM presses at random,
/// clinician boluses, refills, stops and starts, stall/occlusion/battery faults with their
/// acknowledgement, and power cycles with random off-times, over 2 to 6 days. Whatever happens,
/// the plant's true delivery in every 24 h window stays within the limit, power losses take at
/// most the documented bound from the counters, and the head never moves more than was counted.
/// A failure names the seed; PF_SWARM_SEED=&lt;n&gt; re-runs just that one.
/// </summary>
public class SwarmTests
{
    private const long StepsPerMl = 64000;

    [Fact]
    public void Random_scenarios_never_break_the_limit_nor_lose_more_than_the_bound()
    {
        string? only = Environment.GetEnvironmentVariable("PF_SWARM_SEED");
        if (only != null)
        {
            Check(int.Parse(only, CultureInfo.InvariantCulture));
            return;
        }
        Gen.Int[1, 1_000_000_000].Sample(Check, iter: 12, threads: 1);
    }

    [Fact]
    public void A_swarm_scenario_is_deterministic()
    {
        string text = Build(12345, out _, out _);
        string Run()
        {
            var trace = new StringWriter();
            new ScenarioRunner(Scenario.Parse(text), trace, null).Run();
            return trace.ToString();
        }
        Assert.Equal(Run(), Run());
    }

    private static void Check(int seed)
    {
        string text = Build(seed, out double limitUg, out double concUgPerMl);
        Scenario scenario;
        try
        {
            scenario = Scenario.Parse(text, $"swarm-{seed}");
        }
        catch (FormatException e)
        {
            throw new Xunit.Sdk.XunitException($"swarm scenario seed {seed} (PF_SWARM_SEED={seed}) did not parse: {e.Message}\n{text}");
        }
        var minutes = new List<long>();
        var runner = new ScenarioRunner(scenario, null, null)
        {
            Observer = pump =>
            {
                long minute = pump.Clock.WorldMicros / 60_000_000;
                long moved = pump.Plant.MovedSteps;
                while (minutes.Count <= minute) minutes.Add(minutes.Count == 0 ? 0 : minutes[^1]);
                minutes[(int)minute] = moved;
            },
        };
        ScenarioResult result = runner.Run();
        string context = $"swarm scenario seed {seed} (re-run: PF_SWARM_SEED={seed})";
        Assert.True(result.Failures.Count == 0, $"{context}: {string.Join("; ", result.Failures)}\n{text}");

        long limitSteps = (long)Math.Floor(limitUg / concUgPerMl * StepsPerMl + 1e-9);
        for (int m = 0; m < minutes.Count; m++)
        {
            long window = minutes[m] - (m >= 1440 ? minutes[m - 1440] : 0);
            Assert.True(window <= limitSteps, $"{context}: {window} steps in the 24 h before minute {m}, limit {limitSteps}\n{text}");
        }
        var pump = runner.Pump;
        int bound = pump.Persistence.UnpersistedBoundSteps;
        Assert.True(pump.StepsLostAtPowerLoss <= (long)pump.PowerCycles * bound && pump.StepsLostAtPowerLoss >= 0,
            $"{context}: {pump.StepsLostAtPowerLoss} steps lost in {pump.PowerCycles} power cycles, bound {bound} each");
        Assert.True(pump.Plant.MovedSteps <= pump.App.Controller.TotalSteps + pump.StepsLostAtPowerLoss,
            $"{context}: the head moved {pump.Plant.MovedSteps} steps, the firmware counted {pump.App.Controller.TotalSteps} (+{pump.StepsLostAtPowerLoss} lost)");
    }

    /// <summary>A random scenario from one seed.</summary>
    internal static string Build(int seed, out double limitUg, out double concUgPerMl)
    {
        var r = new Random(seed);
        var sb = new StringBuilder();
        int days = r.Next(2, 7);
        sb.AppendLine($"name swarm-{seed}");
        sb.AppendLine($"seed {seed}");
        sb.AppendLine($"start {1_767_225_600 + r.Next(0, 86_400 * 365)}");
        sb.AppendLine($"duration {days}d");
        sb.AppendLine(r.Next(3) == 0 ? "telemetry 10m" : "telemetry off");
        concUgPerMl = new[] { 25.0, 100, 500, 1000, 2000 }[r.Next(5)];
        sb.AppendLine("program");
        sb.AppendLine($"PROG:DRUG drug{r.Next(100)} {F(concUgPerMl)}");
        int stepCount = r.Next(1, 5);
        var starts = Enumerable.Range(0, 24 * 4).OrderBy(_ => r.Next()).Take(stepCount - 1).Select(q => q * 15).Append(0).Distinct().OrderBy(m => m).ToList();
        decimal dailyUg = 0;
        for (int i = 0; i < starts.Count; i++)
        {
            int from = starts[i];
            int to = i + 1 < starts.Count ? starts[i + 1] : 1440;
            decimal rateUg = Math.Round((decimal)concUgPerMl * r.Next(0, 900) / 1000m, 3); // 0 to 0.9 mL/day
            dailyUg += rateUg * (to - from) / 1440m;
            sb.AppendLine($"PROG:STEP {from / 60:00}:{from % 60:00} {rateUg.ToString(CultureInfo.InvariantCulture)}");
        }
        decimal ptmUg = 0;
        int ptmMax = 0;
        if (r.Next(4) != 0)
        {
            ptmUg = Math.Round((decimal)concUgPerMl * r.Next(2, 40) / 1000m, 3);
            ptmMax = r.Next(1, 7);
            sb.AppendLine($"PROG:PTM {ptmUg.ToString(CultureInfo.InvariantCulture)} {r.Next(1, 31)} {r.Next(10, 300)} {ptmMax}");
        }
        sb.AppendLine($"PROG:RESERVOIR 20000 {r.Next(0, 5000)}");
        sb.AppendLine($"PROG:CATHETER {r.Next(0, 300)}");
        int minRateUl = r.Next(0, 30);
        sb.AppendLine($"PROG:MINRATE {minRateUl}");
        // The limit covers the worst day and the minimum rate (a program whose minimum rate alone
        // crosses its limit is refused, and the swarm would test nothing).
        decimal worst = Math.Max(dailyUg + ptmUg * ptmMax, minRateUl * (decimal)concUgPerMl / 1000m);
        decimal limit = Math.Ceiling((worst * (1 + (decimal)r.NextDouble() * 0.2m) + 0.01m) * 1000m) / 1000m;
        limitUg = (double)limit;
        sb.AppendLine($"PROG:LIMIT {limit.ToString(CultureInfo.InvariantCulture)}");
        sb.AppendLine("end");
        sb.AppendLine("errors count"); // random presses, boluses and refills are refused now and then, on purpose
        sb.AppendLine($"at 0 refill {r.Next(500, 20001)}");
        sb.AppendLine("at 0 start");
        int events = days * r.Next(4, 16);
        long durationS = days * 86_400L;
        var timed = new List<(long At, int Order, string Line)>();
        void At(long seconds, string action) => timed.Add((seconds, timed.Count, $"at {seconds}s {action}"));
        for (int e = 0; e < events; e++)
        {
            long at = (long)(r.NextDouble() * (durationS - 4000)) + 60;
            switch (r.Next(12))
            {
                case < 5: At(at, "ptm"); break;
                case 5: At(at, $"bolus {F(concUgPerMl * r.Next(1, 20) / 1000)} {r.Next(1, 60)}"); break;
                case 6: At(at, $"refill {r.Next(1000, 20001)}"); break;
                case 7: At(at, "stop"); At(at + r.Next(1, 3600), "start"); break;
                case 8:
                    string fault = new[] { "STALL", "OCCLUSION", "LOW_BATTERY" }[r.Next(3)];
                    long clear = at + r.Next(1, 1800);
                    At(at, $"fault {fault}");
                    At(clear, "fault NONE");
                    At(clear + 1, $"ack {fault}");
                    At(clear + 2, "start");
                    break;
                case 9: At(at, $"powercycle {r.Next(0, 7200)}s"); break;
                case 10: At(at, "auth"); At(at, $"send TIME {1_767_225_600 + r.Next(0, 86_400 * 365)}"); break;
                default: At(at, "status"); break;
            }
        }
        // Scenario actions are written in time order (generation order within one instant).
        foreach (var a in timed.OrderBy(a => a.At).ThenBy(a => a.Order)) sb.AppendLine(a.Line);
        return sb.ToString();
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
