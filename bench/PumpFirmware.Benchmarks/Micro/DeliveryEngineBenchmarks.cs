using BenchmarkDotNet.Attributes;
using PumpFirmware.Dosing;

namespace PumpFirmware.Benchmarks.Micro;

/// <summary>
/// The delivery engine on its own: the next step's exact due time, within a segment and across
/// a flex boundary (a rate change that re-anchors the segment, carrying the fraction with
/// 128-bit products). Rates in Q32 steps/day.
/// </summary>
[MemoryDiagnoser]
public class DeliveryEngineBenchmarks
{
    // 86,400 and 129,600 steps/day: one step every 1 s and every 2/3 s.
    private const long RateA = 86_400L * DeliveryEngine.OneStepQ32;
    private const long RateB = 129_600L * DeliveryEngine.OneStepQ32;
    private DeliveryEngine _engine = null!;
    private DeliveryEngine _boundary = null!;
    private bool _flip;

    [GlobalSetup]
    public void Setup()
    {
        _engine = new DeliveryEngine();
        _engine.SetRate(RateA, 0);
        _engine.Restart(0);
        _boundary = new DeliveryEngine();
        _boundary.SetRate(RateA, 0);
        _boundary.Restart(0);
    }

    /// <summary>Consume the due step (or do the 24 h re-anchor) and compute the next due time.</summary>
    [Benchmark(Description = "DeliveryEngine: next step, same segment")]
    public long NextStep()
    {
        if (_engine.NextIsStep) _engine.ConsumeStep();
        else _engine.Reanchor(_engine.NextMicros);
        return _engine.NextMicros;
    }

    /// <summary>A step, then a flex boundary at that instant (the rate alternates), and the next due time.</summary>
    [Benchmark(Description = "DeliveryEngine: step + flex boundary (rate change)")]
    public long FlexBoundary()
    {
        long at = _boundary.NextMicros;
        if (_boundary.NextIsStep) _boundary.ConsumeStep();
        else _boundary.Reanchor(at);
        _flip = !_flip;
        _boundary.SetRate(_flip ? RateB : RateA, at);
        return _boundary.NextMicros;
    }
}
