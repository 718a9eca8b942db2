// Where a suite run (`pumpctl simulate DIR`) reports how far it is, so the console view
// (Spectre.Console in pumpctl, on a terminal; plain lines when redirected) stays out of the
// runner, and tests can watch the calls.
namespace PumpFirmware.VirtualDevice.Scenarios;

/// <summary>Receives a suite's progress. The runner calls it from one thread at a time.</summary>
public interface ISuiteProgress
{
    /// <summary>The suite starts: <paramref name="scenarios"/> files to run.</summary>
    void Started(int scenarios);

    /// <summary>One file finished (passed, failed or did not parse): the <paramref name="done"/>-th of <paramref name="total"/>.</summary>
    void Finished(SuiteEntry entry, int done, int total);

    /// <summary>Every file finished (also after an exception): the view closes before the summary is printed.</summary>
    void Ended();
}
