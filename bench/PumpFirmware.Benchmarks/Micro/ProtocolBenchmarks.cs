using BenchmarkDotNet.Attributes;

namespace PumpFirmware.Benchmarks.Micro;

/// <summary>
/// A protocol line end to end through PumpApplication.Poll: LineAssembler, parsing (RequestLine),
/// CommandProcessor, the reply formatted by LineWriter with exact fixed-point output and written
/// to the link; and one telemetry line (!TEL) formatted by Service at its 1 s period.
/// The clock stands still for the requests (the session stays open).
/// </summary>
[MemoryDiagnoser]
public class ProtocolBenchmarks
{
    private BenchDevice _device = null!;
    private BenchDevice _telemetry = null!;
    private readonly byte[] _status = BenchDevice.Request("STATUS?");
    private readonly byte[] _progStep = BenchDevice.Request("PROG:STEP 08:00 150.125");
    private readonly byte[] _bad = BenchDevice.Request("PROG:STEP 24:00 1.2345");

    [GlobalSetup]
    public void Setup()
    {
        _device = new BenchDevice();
        _device.Expect("PROG:NEW");
        _device.Expect("PROG:DRUG baclofen 500");
        _telemetry = new BenchDevice();
        _telemetry.Expect("TEL 1");
    }

    [Benchmark(Description = "Poll: STATUS? -> OK status line")]
    public void Status() => _device.Poll(_status);

    [Benchmark(Description = "Poll: PROG:STEP 08:00 150.125 -> OK")]
    public void ProgStep() => _device.Poll(_progStep);

    [Benchmark(Description = "Poll: PROG:STEP 24:00 1.2345 -> ERR 422")]
    public void BadRequest() => _device.Poll(_bad);

    /// <summary>1 s of virtual time on a RUNNING pump with TEL 1: one !TEL line (and the steps due).</summary>
    [Benchmark(Description = "Service +1 s: one !TEL line")]
    public void TelemetryLine()
    {
        _telemetry.Clock.NowMicros += 1_000_000;
        _telemetry.App.Service();
        // A long run would empty the reservoir (an alarm, no longer steady state): top it up.
        if (_telemetry.App.Controller.ReservoirNl < 10_000_000) _telemetry.App.Controller.Refill(20_000_000, _telemetry.App.NowMicros);
    }
}
