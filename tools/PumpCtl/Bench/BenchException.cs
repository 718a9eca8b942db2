// A bench procedure that cannot go on (a check failed, an alarm it did not expect, a pump that
// answers ERR): one line for the user, exit 1.
namespace PumpCtl.Bench;

/// <summary>A bench run stopped for a reason the user can act on.</summary>
public sealed class BenchException(string message) : Exception(message);
