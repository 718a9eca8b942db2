using CsCheck;
using PumpFirmware.Hal.Esp32.Logic;
using Xunit;

namespace PumpFirmware.Esp32.Tests;

/// <summary>The RMT items of a step block: exact pulse count, exact spacing, legal durations.</summary>
public class RmtStepBlockEncoderTests
{
    private readonly record struct Item(int Duration0, bool Level0, int Duration1, bool Level1);

    // Decodes rmt_item32_t words independently of the encoder (bit layout from ESP-IDF).
    private static List<Item> Decode(byte[] bytes, int items)
    {
        var list = new List<Item>();
        for (int i = 0; i < items; i++)
        {
            uint word = BitConverter.ToUInt32(bytes, i * 4);
            list.Add(new Item((int)(word & 0x7FFF), (word & 0x8000) != 0, (int)((word >> 16) & 0x7FFF), (word & 0x8000_0000) != 0));
        }

        return list;
    }

    // Replays the items as a waveform: returns the rising-edge times and the high widths (µs).
    private static (List<long> Rises, List<int> Highs, long Total) Replay(List<Item> items)
    {
        var rises = new List<long>();
        var highs = new List<int>();
        long t = 0;
        bool level = false;
        long riseAt = 0;
        foreach (var item in items)
        {
            foreach (var (d, l) in new[] { (item.Duration0, item.Level0), (item.Duration1, item.Level1) })
            {
                if (l && !level)
                {
                    rises.Add(t);
                    riseAt = t;
                }

                if (!l && level)
                {
                    highs.Add((int)(t - riseAt));
                }

                level = l;
                t += d;
            }
        }

        if (level)
        {
            highs.Add((int)(t - riseAt));
        }

        return (rises, highs, t);
    }

    [Theory]
    // steps, interval µs, items (hand-counted with high 5 µs and min low 5 µs)
    [InlineData(1, 10, 1)]              // one item: 5 high, 5 low
    [InlineData(1, 1_000_000, 1)]       // the last step is followed by the minimum low only
    [InlineData(3, 1000, 3)]            // (5,H,995,L) ×2 + (5,H,5,L)
    [InlineData(2, 32772, 2)]           // low 32767 fits one half exactly
    [InlineData(2, 32773, 3)]           // low 32768: 32766 + filler (1,1)
    [InlineData(2, 32774, 3)]           // low 32769: 32767 + filler (1,1)
    [InlineData(2, 98306, 3)]           // low 98301: 32767 + filler (32767,32767)
    [InlineData(2, 98307, 4)]           // low 98302: 32767 + filler (32767,32766) + filler (1,1)
    [InlineData(64, 500, 64)]           // a full block at 2000 steps/s
    public void Items_per_block_match_hand_counts(int steps, int interval, int expectedItems)
    {
        var encoder = new RmtStepBlockEncoder(5, 5);
        Assert.Equal(expectedItems, encoder.ItemsFor(steps, interval));
        var buffer = new byte[expectedItems * 4];
        Assert.Equal(expectedItems, encoder.Encode(steps, interval, buffer));
    }

    [Fact]
    public void Three_steps_at_1000us_decode_to_exact_durations()
    {
        var encoder = new RmtStepBlockEncoder(5, 5);
        var buffer = new byte[12];
        Assert.Equal(3, encoder.Encode(3, 1000, buffer));
        var items = Decode(buffer, 3);
        Assert.Equal(new Item(5, true, 995, false), items[0]);
        Assert.Equal(new Item(5, true, 995, false), items[1]);
        Assert.Equal(new Item(5, true, 5, false), items[2]);
        Assert.Equal(2010, encoder.BlockDurationMicros(3, 1000));
    }

    [Fact]
    public void A_low_time_one_over_the_limit_never_leaves_a_zero_or_lone_tick()
    {
        var encoder = new RmtStepBlockEncoder(5, 5);
        var buffer = new byte[3 * 4];
        encoder.Encode(2, 32773, buffer);
        var items = Decode(buffer, 3);
        Assert.Equal(new Item(5, true, 32766, false), items[0]);
        Assert.Equal(new Item(1, false, 1, false), items[1]);
        Assert.Equal(new Item(5, true, 5, false), items[2]);
    }

    [Theory]
    [InlineData(0, 1000)]      // no steps
    [InlineData(-1, 1000)]
    [InlineData(1, 9)]         // below high + min low
    [InlineData(5, 0)]
    public void Out_of_range_blocks_are_refused_and_nothing_is_written(int steps, int interval)
    {
        var encoder = new RmtStepBlockEncoder(5, 5);
        var buffer = Enumerable.Repeat((byte)0xAA, 64).ToArray();
        Assert.Equal(-1, encoder.ItemsFor(steps, interval));
        Assert.Equal(-1, encoder.Encode(steps, interval, buffer));
        Assert.Equal(-1, encoder.BlockDurationMicros(steps, interval));
        Assert.All(buffer, b => Assert.Equal(0xAA, b));
    }

    [Fact]
    public void A_buffer_too_small_is_refused_and_left_untouched()
    {
        var encoder = new RmtStepBlockEncoder(5, 5);
        var buffer = Enumerable.Repeat((byte)0xAA, 11).ToArray(); // 3 items need 12 bytes
        Assert.Equal(-1, encoder.Encode(3, 1000, buffer));
        Assert.All(buffer, b => Assert.Equal(0xAA, b));
    }

    [Theory]
    [InlineData(0, 1, 1000, 1)]       // a one-step block has started at once
    [InlineData(-1, 3, 1000, 0)]
    [InlineData(0, 3, 1000, 1)]       // the first pulse rises at once
    [InlineData(999, 3, 1000, 1)]
    [InlineData(1000, 3, 1000, 2)]
    [InlineData(2000, 3, 1000, 3)]
    [InlineData(50_000, 3, 1000, 3)]  // capped at the block
    public void Steps_started_by_a_time(long elapsed, int steps, int interval, int expected)
    {
        Assert.Equal(expected, RmtStepBlockEncoder.StepsStartedBy(elapsed, steps, interval));
    }

    [Theory]
    // high 5 + min low 5; 3 steps at 1000 µs; hold 990 µs after the last (a whole interval)
    [InlineData(0, 0)]
    [InlineData(9, 0)]          // first pulse and its low time not over
    [InlineData(10, 1)]
    [InlineData(1009, 1)]
    [InlineData(1010, 2)]
    [InlineData(2010, 2)]       // the last step waits for its hold
    [InlineData(2999, 2)]
    [InlineData(3000, 3)]       // = 3 × interval: the block is over
    [InlineData(1_000_000, 3)]
    public void Steps_completed_by_a_time(long elapsed, int expected)
    {
        var encoder = new RmtStepBlockEncoder(5, 5);
        Assert.Equal(expected, encoder.StepsCompletedBy(elapsed, 3, 1000, 1000 - encoder.MinIntervalMicros));
    }

    [Fact]
    public void Constructor_rejects_impossible_pulse_widths()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmtStepBlockEncoder(0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmtStepBlockEncoder(5, 32768));
    }

    [Fact]
    public void Any_block_replays_as_exactly_n_pulses_at_exactly_the_interval()
    {
        var gen = Gen.Select(Gen.Int[1, 64], Gen.Int[1, 20], Gen.Int[1, 20], Gen.Int[0, 200_000]);
        gen.Sample((steps, high, minLow, extra) =>
        {
            var encoder = new RmtStepBlockEncoder(high, minLow);
            int interval = high + minLow + extra;
            int count = encoder.ItemsFor(steps, interval);
            var buffer = new byte[count * 4];
            Assert.Equal(count, encoder.Encode(steps, interval, buffer));
            var items = Decode(buffer, count);
            Assert.All(items, i =>
            {
                Assert.InRange(i.Duration0, 1, 32767);
                Assert.InRange(i.Duration1, 1, 32767);
            });
            var (rises, highs, total) = Replay(items);
            Assert.Equal(steps, rises.Count);
            Assert.All(highs, h => Assert.Equal(high, h));
            for (int k = 0; k < rises.Count; k++)
            {
                Assert.Equal((long)k * interval, rises[k]);
            }

            Assert.Equal(encoder.BlockDurationMicros(steps, interval), total);
        }, iter: 300);
    }
}
