// Which columns of a run log hold the flow, and in what unit: the pump's delivered_ul, or a
// mass column (pumpctl log's mass_g, or another tool's, e.g. weight_mg) divided by the density.
namespace PumpCtl.Analysis;

/// <summary>The column mapping of an analysis.</summary>
public sealed record LogColumns
{
    /// <summary>Volume or mass.</summary>
    public FlowSource Source { get; init; } = FlowSource.Volume;

    /// <summary>The mass column's name (in the run log, or in the balance log when one is merged).</summary>
    public string MassColumn { get; init; } = "mass_g";

    /// <summary>The mass column's unit: g, mg, ug or kg.</summary>
    public string MassUnit { get; init; } = "g";

    /// <summary>Density for the mass source, g/mL.</summary>
    public double DensityGramsPerMilliliter { get; init; } = 0.998;

    /// <summary>The units a mass column may be in, with their size in g.</summary>
    public static readonly IReadOnlyDictionary<string, double> GramsPerUnit = new Dictionary<string, double>
    {
        ["g"] = 1.0, ["mg"] = 1e-3, ["ug"] = 1e-6, ["kg"] = 1e3,
    };

    /// <summary>The unit a column's name implies by its suffix (<c>weight_mg</c> is mg); g when it names none.</summary>
    public static string UnitFromName(string column)
    {
        foreach (string unit in new[] { "mg", "ug", "kg", "g" })
        {
            if (column.EndsWith("_" + unit, StringComparison.OrdinalIgnoreCase))
            {
                return unit;
            }
        }
        return "g";
    }

    /// <summary>µL per unit of the mass column: (g per unit) / density × 1000.</summary>
    public double MicrolitersPerMassUnit => GramsPerUnit[MassUnit] / DensityGramsPerMilliliter * 1000.0;
}
