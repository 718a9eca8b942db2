// One row of the trumpet table.
namespace PumpCtl.Analysis;

/// <summary>Extreme errors for one observation window.</summary>
/// <param name="WindowMinutes">P, min.</param>
/// <param name="EpMaxPercent">Largest window error Ej, %.</param>
/// <param name="EpMinPercent">Smallest window error Ej, %.</param>
/// <param name="WindowCount">m, the number of sliding windows in T2.</param>
public sealed record WindowResult(int WindowMinutes, double EpMaxPercent, double EpMinPercent, int WindowCount);
