// Telemetry `seq` counts up by one per line, so a gap is lost lines. A device reset restarts
// it at 1 (PROTOCOL.md), which is a restart, not a loss. Memory is constant: totals plus the
// last few gaps, however long the run.
namespace PumpCtl.Telemetry;

/// <summary>Counts lost telemetry lines from their sequence numbers.</summary>
public sealed class SeqTracker
{
    /// <summary>How many recent gaps are remembered for the report.</summary>
    public const int RecentCapacity = 8;

    private readonly Queue<string> _recent = new();
    private long? _last;

    /// <summary>Lines known to be lost.</summary>
    public long Lost { get; private set; }

    /// <summary>Number of gaps (runs of lost lines).</summary>
    public long Gaps { get; private set; }

    /// <summary>Lines whose seq repeated the previous one.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Times the sequence started again (device reset).</summary>
    public long Restarts { get; private set; }

    /// <summary>The most recent gaps, oldest first, e.g. <c>seq 12-14 (3 lost)</c>.</summary>
    public IReadOnlyCollection<string> RecentGaps => _recent;

    /// <summary>Takes the next received sequence number.</summary>
    /// <returns>How many lines were lost just before this one.</returns>
    public long Observe(long seq)
    {
        long lost = 0;
        if (_last is long last)
        {
            if (seq > last + 1)
            {
                lost = seq - last - 1;
                Remember(last + 1, seq - 1);
            }
            else if (seq == last)
            {
                // The same line twice (a repeat on the wire), not a restart.
                Duplicates++;
            }
            else if (seq < last)
            {
                // The device restarted its counter: lines from 1 up to this one are the new
                // sequence's, and only those before `seq` went missing.
                Restarts++;
                if (seq > 1)
                {
                    lost = seq - 1;
                    Remember(1, seq - 1);
                }
            }
        }
        _last = seq;
        Lost += lost;
        return lost;
    }

    private void Remember(long from, long to)
    {
        Gaps++;
        long count = to - from + 1;
        _recent.Enqueue(from == to ? $"seq {from} (1 lost)" : $"seq {from}-{to} ({count} lost)");
        while (_recent.Count > RecentCapacity)
        {
            _recent.Dequeue();
        }
    }
}
