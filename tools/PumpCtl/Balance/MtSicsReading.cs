// What a balance said to `SI` (MT-SICS level 0, "send immediate weight").
namespace PumpCtl.Balance;

/// <summary>One balance reading.</summary>
/// <param name="Grams">The mass in g; null when the balance gave no value.</param>
/// <param name="Stable">True for <c>S S</c>; false for <c>S D</c> (dynamic) and for errors.</param>
/// <param name="Error">Why there is no value (null when there is one).</param>
public sealed record MtSicsReading(decimal? Grams, bool Stable, string? Error)
{
    /// <summary>True when the reading carries a mass.</summary>
    public bool HasValue => Grams.HasValue;
}
