// `pumpctl calibrate` on the virtual device and its simulated balance: the pump head delivers
// 2 % more than its nominal 64000 steps/mL (--cal-error-ppm 20000), so its true figure is
// 64000 / 1.02 = 62745.1 steps/mL. Calibration must find that within the balance's resolution
// (0.1 mg of a ~1 g run), send CAL only when allowed, and refuse a reservoir that cannot feed
// the runs before it primes anything.
using System.Globalization;
using PumpCtl.Cli;
using PumpCtl.Tests.Cli;
using PumpCtl.Tests.EndToEnd;
using Xunit;

namespace PumpCtl.Tests.Calibration;

[Collection("Console")]
public sealed class CalibrateCommandTests
{
    private static readonly string[] Program =
    {
        "AUTH 0000", "PROG:NEW", "PROG:DRUG water 1000", "PROG:LIMIT 100000", "PROG:STEP 00:00 1", "PROG:CATHETER 1000", "PROG:REVIEW", "PROG:COMMIT",
    };

    [Fact]
    public void Calibrate_recovers_the_heads_true_steps_per_ml_within_the_balance_resolution_and_sends_cal()
    {
        using var sim = new BalancedSimProcess("--cal-error-ppm", "20000");
        sim.Send(Program);
        var run = ConsoleCapture.Run(new[]
        {
            "calibrate", "--port", sim.PumpPty, "--balance", sim.BalancePty, "--sim-advance", "--refill", "20000", "--yes",
        });
        Assert.True(run.Exit == ExitCodes.Ok, run.Err + run.Out);
        Assert.Contains("sent REFILL 20000", run.Out);
        Assert.Equal(3, run.Out.Split('\n').Count(l => l.StartsWith("run ")));

        double truth = 64000 / 1.02;
        long sent = long.Parse(sim.Send("AUTH 0000", "CAL?")["steps_per_ml"], CultureInfo.InvariantCulture);
        // One resolution step (0.1 mg) of a run's ~1.018 g is 1e-4/1.018 of the figure: about 6.2 steps/mL.
        double oneResolutionStep = truth * 0.0001 / (1.0 * 1.02 * 0.998);
        Assert.InRange(sent, truth - oneResolutionStep, truth + oneResolutionStep);
        Assert.Contains($"CAL? confirms steps_per_ml={sent}", run.Out);
        // Each run primed exactly 1000 µL at the old calibration: 64000 steps.
        Assert.Equal(3, run.Out.Split('\n').Count(l => l.StartsWith("run ") && l.Contains(": 64000 steps,")));
    }

    [Fact]
    public void On_a_real_clock_calibrate_waits_for_the_prime_as_on_a_rig()
    {
        // No --sim-advance: the virtual device runs on the host's clock and calibrate polls
        // STATUS? until the prime ends, as it does on a rig. 50 µL at 1000 steps/s is 3.2 s.
        using var sim = new BalancedSimProcess("--clock", "real", "--cal-error-ppm", "-30000");
        sim.Send(Program);
        var run = ConsoleCapture.Run(new[]
        {
            "calibrate", "--port", sim.PumpPty, "--balance", sim.BalancePty, "--volume-ul", "50", "--runs", "1", "--refill", "20000", "--yes",
        });
        Assert.True(run.Exit == ExitCodes.Ok, run.Err + run.Out);
        Assert.Contains("run 1: 3200 steps,", run.Out);
        double truth = 64000 / 0.97;
        long sent = long.Parse(sim.Send("AUTH 0000", "CAL?")["steps_per_ml"], CultureInfo.InvariantCulture);
        // One 0.1 mg step of a 0.0484 g run is 0.21 % of the figure: about 137 steps/mL.
        Assert.InRange(sent, truth * (1 - 0.0001 / 0.0484), truth * (1 + 0.0001 / 0.0484));
    }

    [Fact]
    public void Without_confirmation_nothing_is_sent_and_an_empty_reservoir_is_refused_before_any_prime()
    {
        using var sim = new BalancedSimProcess();
        sim.Send(Program);
        var refused = ConsoleCapture.Run(new[] { "calibrate", "--port", sim.PumpPty, "--balance", sim.BalancePty, "--sim-advance" });
        Assert.Equal(ExitCodes.Failed, refused.Exit);
        Assert.Contains("the reservoir holds 0 µL; 3 run(s) of 1000 µL need 4000 µL", refused.Err);
        Assert.Equal("0", sim.Send("STATUS?")["steps"]);

        sim.Send("AUTH 0000", "REFILL 20000");
        TextReader oldIn = Console.In;
        Console.SetIn(new StringReader("n\n"));
        try
        {
            var declined = ConsoleCapture.Run(new[] { "calibrate", "--port", sim.PumpPty, "--balance", sim.BalancePty, "--sim-advance", "--runs", "1", "--volume-ul", "500" });
            Assert.True(declined.Exit == ExitCodes.Ok, declined.Err);
            Assert.Contains("send 'CAL 64000' (was 64000)? [y/N]", declined.Out);
            Assert.Contains("not sent", declined.Out);
        }
        finally
        {
            Console.SetIn(oldIn);
        }
        Assert.Equal("32000", sim.Send("STATUS?")["steps"]);
    }

    [Fact]
    public void A_running_pump_or_a_catheter_smaller_than_the_run_is_refused_with_what_to_do()
    {
        using var sim = new BalancedSimProcess();
        sim.Send(Program);
        sim.Send("AUTH 0000", "REFILL 20000");
        var small = ConsoleCapture.Run(new[] { "calibrate", "--port", sim.PumpPty, "--balance", sim.BalancePty, "--sim-advance", "--volume-ul", "2000" });
        Assert.Equal(ExitCodes.Failed, small.Exit);
        Assert.Contains("catheter_ul=1000.000 is less than the run volume 2000 µL", small.Err);

        var wrongPin = ConsoleCapture.Run(new[] { "calibrate", "--port", sim.PumpPty, "--balance", sim.BalancePty, "--sim-advance", "--pin", "9876" });
        Assert.Equal(ExitCodes.Failed, wrongPin.Exit);
        Assert.Contains("'AUTH ****' got ERR 403", wrongPin.Err);
        Assert.DoesNotContain("9876", wrongPin.Err + wrongPin.Out);

        sim.Send("AUTH 0000", "START");
        var running = ConsoleCapture.Run(new[] { "calibrate", "--port", sim.PumpPty, "--balance", sim.BalancePty, "--sim-advance" });
        Assert.Equal(ExitCodes.Failed, running.Exit);
        Assert.Contains("the pump is RUNNING; PRIME runs only when STOPPED", running.Err);
        Assert.Equal("0", sim.Send("STATUS?")["steps"]);
    }

    [Theory]
    [InlineData("--runs", "0")]
    [InlineData("--volume-ul", "0")]
    [InlineData("--density", "0")]
    [InlineData("--resolution-mg", "0")]
    [InlineData("--refill", "-5")]
    public void Out_of_range_options_are_usage_errors(string option, string value)
    {
        var r = ConsoleCapture.Run(new[] { "calibrate", "--port", "/dev/null-none", "--balance", "/dev/null-none", option, value });
        Assert.Equal(ExitCodes.Usage, r.Exit);
        Assert.Contains(option, r.Err);
    }
}
