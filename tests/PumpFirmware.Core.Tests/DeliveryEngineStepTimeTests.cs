using PumpFirmware.Dosing;
using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.Core.Tests;

/// <summary>
/// docs/ARCHITECTURE.md "Exact delivery": the next step is due at anchor + ceil(need x day / rate). The engine carries
/// that division from one step to the next instead of redoing a 128-bit MulDiv per step (docs/STORAGE.md, issue 13);
/// every due time must be exactly the MulDiv's, over many steps, across rate changes, re-anchors and restarts, for
/// rates from under a step a day to the highest a board allows and for rates whose quotient does not divide evenly.
/// </summary>
public class DeliveryEngineStepTimeTests
{
    private const long One = DeliveryEngine.OneStepQ32;
    private const long Day = DeliveryEngine.DayMicros;

    // What the due time must be, from the engine's public state: need = one step less the fraction carried.
    private static void AssertExact(DeliveryEngine e, string where)
    {
        long rate = e.RateQ32PerDay;
        if (rate <= 0 || !e.NextIsStep) return;
        long need = One - e.AnchorFractionQ32;
        if (need <= 0 || need > rate) return;
        Assert.True(e.NextMicros == e.AnchorMicros + WideMath.MulDivCeil(need, Day, rate),
            $"{where}: due {e.NextMicros}, MulDiv says {e.AnchorMicros + WideMath.MulDivCeil(need, Day, rate)} (rate {rate}, need {need})");
    }

    [Theory]
    [InlineData(1L)]                       // far under a step a day
    [InlineData(One - 1)]
    [InlineData(One)]                      // one step a day
    [InlineData(One * 3 + 1)]
    [InlineData(25_000L * One + 12_345)]   // a baclofen day, not a whole number of steps
    [InlineData(86_400_000L * One)]        // 1000 steps/s, the highest a board allows
    [InlineData(long.MaxValue / 2)]
    [InlineData(long.MaxValue / 2 + 1)]    // past where the carried sum could overflow: the MulDiv every step
    [InlineData(long.MaxValue)]
    public void Every_due_time_is_the_exact_MulDiv_over_thousands_of_steps(long rate)
    {
        var e = new DeliveryEngine();
        e.SetRate(rate, 0);
        e.Restart(0);
        for (int k = 0; k < 5000 && e.NextMicros != long.MaxValue; k++)
        {
            AssertExact(e, $"step {k}");
            if (e.NextIsStep) e.ConsumeStep();
            else e.Reanchor(e.NextMicros);
        }
    }

    [Fact]
    public void Due_times_stay_exact_across_random_rate_changes_reanchors_and_restarts()
    {
        var random = new Random(13);
        var e = new DeliveryEngine();
        long now = 0;
        e.SetRate(One * 1000, 0);
        for (int k = 0; k < 50_000; k++)
        {
            int action = random.Next(100);
            if (action < 2) e.SetRate(random.NextInt64(1, 86_400_000L * One), now);
            else if (action < 3) e.Restart(now);
            else if (action < 4) e.ScalePosition(random.Next(1, 10_000_000), random.Next(1, 10_000_000), now);
            else if (e.NextMicros != long.MaxValue)
            {
                now = Math.Max(now, e.NextMicros);
                if (e.NextIsStep) e.ConsumeStep();
                else e.Reanchor(e.NextMicros);
            }
            AssertExact(e, $"action {k}");
        }
    }
}
