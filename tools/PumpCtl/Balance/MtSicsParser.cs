// Parses MT-SICS weight replies (Mettler Toledo's Standard Interface Command Set):
//   "S S      12.3456 g"  stable value      "S D      12.3461 g"  dynamic (not yet stable)
//   "S I"  not executable now (busy)        "S +" / "S -"  overload / underload
//   "ES" / "ET" / "EL"  syntax / transmission / logical error
// A dynamic value is kept: a balance under a running pump is rarely "stable" at the
// instant of SI, and the trumpet method wants a reading every Δt, not only calm ones.
using System.Globalization;

namespace PumpCtl.Balance;

/// <summary>MT-SICS <c>S</c>/<c>SI</c> reply parser.</summary>
public static class MtSicsParser
{
    /// <summary>Parses one reply line (without CR LF).</summary>
    public static MtSicsReading Parse(string line)
    {
        string[] w = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (w.Length == 0)
        {
            return Fail("empty reply");
        }
        switch (w[0])
        {
            case "ES": return Fail("balance: syntax error (ES)");
            case "ET": return Fail("balance: transmission error (ET)");
            case "EL": return Fail("balance: logical error (EL)");
        }
        if (w[0] != "S" || w.Length < 2)
        {
            return Fail($"not an MT-SICS weight reply: '{line}'");
        }
        switch (w[1])
        {
            case "I": return Fail("balance busy, command not executable now (S I)");
            case "+": return Fail("balance overload (S +)");
            case "-": return Fail("balance underload (S -)");
            case "S":
            case "D":
                break;
            default:
                return Fail($"unknown weight status '{w[1]}' in '{line}'");
        }
        if (w.Length < 4)
        {
            return Fail($"weight reply without value and unit: '{line}'");
        }
        if (!decimal.TryParse(w[2], NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal value))
        {
            return Fail($"weight '{w[2]}' is not a number");
        }
        decimal? grams = w[3] switch
        {
            "g" => value,
            "mg" => value / 1000m,
            "kg" => value * 1000m,
            _ => null,
        };
        if (grams is null)
        {
            return Fail($"unit '{w[3]}' is not a mass unit pumpctl knows (g, mg, kg)");
        }
        return new MtSicsReading(grams, w[1] == "S", null);
    }

    private static MtSicsReading Fail(string why) => new(null, false, why);
}
