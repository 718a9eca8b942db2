// How the figures are written: format, resolution and size. Sizes are in inches so a figure
// keeps its proportions and text size at any --dpi: a PNG is size × dpi pixels with every line
// and label scaled by dpi/100; SVG and PDF are vector (PDF pages in points, 72 per inch).
using System.Globalization;

namespace PumpCtl.Analysis;

/// <summary>The figure format.</summary>
public enum PlotFormat
{
    /// <summary>Raster, for screens and reports.</summary>
    Png,

    /// <summary>Vector, for the web and editing.</summary>
    Svg,

    /// <summary>Vector, for journals and print.</summary>
    Pdf,
}

/// <summary>Format, resolution and size of the analysis figures.</summary>
public sealed record PlotOptions
{
    /// <summary>The format of trumpet.* and startup.*.</summary>
    public PlotFormat Format { get; init; } = PlotFormat.Png;

    /// <summary>Dots per inch for PNG (and the PDF's raster fallback); 100 keeps the 900×560 default.</summary>
    public int Dpi { get; init; } = 100;

    /// <summary>Figure width, inches.</summary>
    public double WidthInches { get; init; } = 9;

    /// <summary>Figure height, inches.</summary>
    public double HeightInches { get; init; } = 5.6;

    /// <summary>The file extension without a dot.</summary>
    public string Extension => Format.ToString().ToLowerInvariant();

    /// <summary>PNG width in pixels.</summary>
    public int PixelWidth => (int)Math.Round(WidthInches * Dpi);

    /// <summary>PNG height in pixels.</summary>
    public int PixelHeight => (int)Math.Round(HeightInches * Dpi);

    /// <summary>Parses <c>WxH</c> in inches (e.g. <c>9x5.6</c>, <c>3.5x2.5in</c>) or centimetres (<c>16x10cm</c>).</summary>
    public static bool TryParseSize(string? text, out double widthInches, out double heightInches)
    {
        widthInches = heightInches = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        string t = text.Trim().ToLowerInvariant();
        double scale = 1;
        if (t.EndsWith("cm", StringComparison.Ordinal))
        {
            scale = 1 / 2.54;
            t = t[..^2];
        }
        else if (t.EndsWith("in", StringComparison.Ordinal))
        {
            t = t[..^2];
        }
        string[] parts = t.Split('x');
        if (parts.Length != 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double w)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double h))
        {
            return false;
        }
        widthInches = w * scale;
        heightInches = h * scale;
        return widthInches >= 1 && widthInches <= 40 && heightInches >= 1 && heightInches <= 40;
    }
}
