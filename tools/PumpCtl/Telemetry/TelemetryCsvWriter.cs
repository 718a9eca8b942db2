// The research log's file format: RFC 4180 CSV (CRLF, quotes only where needed, doubled
// quotes inside), one header, one row per telemetry line, flushed after every row so a
// crash or a pulled plug loses at most the row being written. CsvHelper does the quoting.
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace PumpCtl.Telemetry;

/// <summary>Writes telemetry rows as CSV.</summary>
public sealed class TelemetryCsvWriter : IDisposable
{
    /// <summary>The columns, in order, without the balance.</summary>
    public static readonly string[] Columns =
        { "host_utc", "seq", "t_ms", "unix_s", "state", "delivered_ul", "steps", "reservoir_ul", "rate_ul_day", "alarms" };

    /// <summary>The extra column written with a balance.</summary>
    public const string MassColumn = "mass_g";

    private static readonly char[] QuoteTriggers = { ',', '"', '\r', '\n' };

    private readonly TextWriter _text;
    private readonly CsvWriter _csv;
    private readonly bool _withMass;

    /// <summary>Writes the header to <paramref name="text"/> at once.</summary>
    /// <param name="withMass">Add the <c>mass_g</c> column.</param>
    public TelemetryCsvWriter(TextWriter text, bool withMass)
    {
        _text = text;
        _withMass = withMass;
        // Quote exactly what RFC 4180 requires quoting: a comma, a quote or any line break (a
        // bare LF too, which CsvHelper's default leaves alone when the newline is CR LF).
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            NewLine = "\r\n",
            ShouldQuote = args => args.Field != null && args.Field.IndexOfAny(QuoteTriggers) >= 0,
        };
        _csv = new CsvWriter(text, config, leaveOpen: true);
        foreach (string column in Columns)
        {
            _csv.WriteField(column);
        }
        if (withMass)
        {
            _csv.WriteField(MassColumn);
        }
        EndRow();
    }

    /// <summary>Rows written, header excluded.</summary>
    public long Rows { get; private set; }

    /// <summary>Writes one row and flushes it to the file.</summary>
    /// <param name="hostUtc">When the host received the line.</param>
    /// <param name="massGrams">The balance reading, or null when there was none (an empty cell).</param>
    public void Write(DateTime hostUtc, TelemetryRecord r, decimal? massGrams = null)
    {
        _csv.WriteField(hostUtc.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        _csv.WriteField(r.Seq.ToString(CultureInfo.InvariantCulture));
        _csv.WriteField(r.TMs);
        _csv.WriteField(r.UnixS);
        _csv.WriteField(r.State);
        _csv.WriteField(r.DeliveredUl);
        _csv.WriteField(r.Steps);
        _csv.WriteField(r.ReservoirUl);
        _csv.WriteField(r.RateUlDay);
        _csv.WriteField(r.Alarms);
        if (_withMass)
        {
            _csv.WriteField(massGrams?.ToString(CultureInfo.InvariantCulture) ?? "");
        }
        EndRow();
        Rows++;
    }

    private void EndRow()
    {
        _csv.NextRecord();
        _csv.Flush();
        _text.Flush();
    }

    /// <inheritdoc />
    public void Dispose() => _csv.Dispose();
}
