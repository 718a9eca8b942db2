using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

// The step path keeps what it divided by (StepQuotients) and tests the 24 h window's minute without dividing: every
// answer must be the division's, whatever came before it. The sequences change the calibration and the concentration
// between steps, so a kept quotient that is not recomputed when its input changes gives a wrong answer here.
public class StepPathArithmeticTests
{
    private const long NlPerMl = 1_000_000;

    private static readonly long[] Calibrations = { 1, 3, 7, 999, 1_000, 64_000, 64_001, 999_999, 1_000_000, 1_000_001, 10_000_000 };

    [Fact]
    public void A_steps_volume_is_the_division_of_the_carried_remainder_at_every_calibration_change()
    {
        var rnd = new Random(13);
        var q = new StepQuotients();
        for (int run = 0; run < 400; run++)
        {
            long stepsPerMl = rnd.Next(3) == 0 ? Calibrations[rnd.Next(Calibrations.Length)] : rnd.NextInt64(1, 10_000_001);
            long remainder = rnd.Next(4) == 0 ? rnd.NextInt64(-5, stepsPerMl + 5) : rnd.NextInt64(0, stepsPerMl);
            int steps = rnd.Next(1, 60);
            for (int i = 0; i < steps; i++)
            {
                long sum = remainder + NlPerMl;
                long expected = sum / stepsPerMl;
                long expectedRemainder = sum % stepsPerMl;
                long nl = q.StepNanoliters(remainder, stepsPerMl, out long next);
                Assert.Equal(expected, nl);
                Assert.Equal(expectedRemainder, next);
                remainder = next;
            }
        }
    }

    [Theory]
    [InlineData(long.MaxValue / 2 + 1, long.MaxValue / 2 + 7)]
    [InlineData(long.MaxValue, long.MaxValue - 1)]
    [InlineData(-64_000, 5)]
    [InlineData(64_000, -1)]
    [InlineData(64_000, 64_000)]
    public void Out_of_range_inputs_divide_as_before(long stepsPerMl, long remainder)
    {
        var q = new StepQuotients();
        long sum = remainder + NlPerMl;
        Assert.Equal(sum / stepsPerMl, q.StepNanoliters(remainder, stepsPerMl, out long next));
        Assert.Equal(sum % stepsPerMl, next);
    }

    [Fact]
    public void A_steps_drug_is_the_rounded_up_division_after_every_change_of_calibration_or_concentration()
    {
        var rnd = new Random(17);
        var q = new StepQuotients();
        long conc = 500_000;
        long stepsPerMl = 64_000;
        for (int i = 0; i < 5_000; i++)
        {
            switch (rnd.Next(4))
            {
                case 0: stepsPerMl = Calibrations[rnd.Next(Calibrations.Length)]; break;
                case 1: conc = rnd.NextInt64(0, 100_000_000); break;
                case 2: conc = rnd.Next(2) == 0 ? conc : conc + 1; stepsPerMl = rnd.NextInt64(1, 10_000_001); break;
            }
            long numerator = conc * 1_000_000;
            long expected = numerator / stepsPerMl + (numerator % stepsPerMl != 0 ? 1 : 0);
            Assert.Equal(expected, q.FemtogramsPerStep(conc, stepsPerMl));
        }
    }

    [Fact]
    public void The_first_answer_is_computed_even_for_inputs_equal_to_the_initial_fields()
    {
        var q = new StepQuotients();
        Assert.Equal(0, q.FemtogramsPerStep(0, 1));
        Assert.Throws<DivideByZeroException>(() => new StepQuotients().FemtogramsPerStep(0, 0));
        Assert.Throws<DivideByZeroException>(() => new StepQuotients().StepNanoliters(0, 0, out _));
    }

    [Fact]
    public void A_window_that_tries_each_step_matches_one_that_sums_then_adds()
    {
        // TryAdd is SumAt and Add at the same time; the minute test without a division must expire exactly as before,
        // across minute ends, long gaps, times before zero and after a load of a minute near the largest.
        var rnd = new Random(19);
        var tried = new DoseWindow();
        var summed = new DoseWindow();
        long t = 0;
        long limit = 40_000;
        for (int i = 0; i < 20_000; i++)
        {
            switch (rnd.Next(20))
            {
                case 0: t += rnd.NextInt64(0, 3 * Day); break;
                case 1: t = Minute * rnd.NextInt64(0, 5_000) + (rnd.Next(2) == 0 ? 0 : Minute - 1); break; // may go back
                case 2: t = -rnd.NextInt64(1, Minute); break;
                default: t += rnd.NextInt64(0, 20 * Second); break;
            }
            long fg = rnd.NextInt64(0, 1_000);
            bool fits = fg <= limit - summed.SumAt(t);
            if (fits) summed.Add(t, fg);
            Assert.Equal(fits, tried.TryAdd(t, fg, limit));
            Assert.Equal(summed.SumFemtograms, tried.SumFemtograms);
            if (i % 500 == 0) Assert.Equal(Image(summed), Image(tried));
        }
        Assert.Equal(Image(summed), Image(tried));
    }

    [Theory]
    [InlineData(long.MaxValue / DoseWindow.BucketMicros)]
    [InlineData(long.MaxValue / DoseWindow.BucketMicros - 1)]
    [InlineData(long.MaxValue / DoseWindow.BucketMicros - 2)]
    [InlineData(long.MaxValue - 1)]
    public void A_window_loaded_at_a_minute_near_the_largest_moves_on_as_by_division(long minute)
    {
        var source = new DoseWindow();
        var writer = new StateWriter(new byte[20_000]);
        source.Save(writer);
        byte[] image = writer.Buffer;
        BitConverter.TryWriteBytes(image.AsSpan(0, 8), minute); // the current minute leads the record (little-endian)
        var w = new DoseWindow();
        Assert.True(w.Load(new StateReader(image, 0, writer.Position)));
        w.Add(long.MaxValue, 5);
        w.Add(0, 7);
        Assert.Equal(12, w.SumAt(long.MaxValue));
        // The latest time's minute or the loaded one, whichever is later: what dividing every time gives.
        Assert.Equal(Math.Max(minute, long.MaxValue / DoseWindow.BucketMicros), CurrentMinute(w));
    }

    private static long CurrentMinute(DoseWindow w)
    {
        var writer = new StateWriter(new byte[20_000]);
        w.Save(writer);
        return BitConverter.ToInt64(writer.Buffer, 0);
    }

    private static byte[] Image(DoseWindow w)
    {
        var writer = new StateWriter(new byte[20_000]);
        w.Save(writer);
        return writer.Buffer.AsSpan(0, writer.Position).ToArray();
    }
}
