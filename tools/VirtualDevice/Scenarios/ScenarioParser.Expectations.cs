// The checks of the scenario language: `expect <prefix>`, `expect no reply`, a value compared
// exactly or within a tolerance with units, a set, and ! lines in a window (Expectation.cs
// evaluates them). Part of ScenarioParser.
using System.Globalization;
using System.Text.RegularExpressions;

namespace PumpFirmware.VirtualDevice.Scenarios;

internal sealed partial class ScenarioParser
{
    private Expectation ParseExpectation(Line line, int first)
    {
        var t = line.Tokens;
        string text = Subst(line, line.RestFrom(first));
        var words = new List<Token>();
        for (int k = first; k < t.Count; k++) words.Add(new Token(Subst(line, t[k]), t[k].Column));
        string w0 = words[0].Text;
        if (w0.Equals("no", StringComparison.OrdinalIgnoreCase) && words.Count == 2 && words[1].Text.Equals("reply", StringComparison.OrdinalIgnoreCase))
            return new ReplyExpectation { Prefix = null, Text = text };
        bool must = true;
        int at = 0;
        if (w0.Equals("no", StringComparison.OrdinalIgnoreCase) && words.Count >= 2 && words[1].Text.StartsWith('!'))
        {
            must = false;
            at = 1;
        }
        if (words[at].Text.StartsWith('!')) return ParseEvent(line, words, at, must, text);
        if (words.Count >= 3 && NamePattern().IsMatch(w0) && w0 == w0.ToLowerInvariant() && ParseOp(words[1].Text) is CompareOp op)
            return ParseValue(line, words, op, text);
        if (words.Count >= 2 && NamePattern().IsMatch(w0) && w0 == w0.ToLowerInvariant() && ParseOp(words[1].Text) is not null)
            throw line.Bad(words[1].Column, $"{w0} {words[1].Text} needs a value after it");
        return new ReplyExpectation { Prefix = text, Text = text };
    }

    private static CompareOp? ParseOp(string op) => op.ToLowerInvariant() switch
    {
        "=" or "==" => CompareOp.Equal,
        "!=" => CompareOp.NotEqual,
        "<" => CompareOp.Less,
        "<=" => CompareOp.LessOrEqual,
        ">" => CompareOp.Greater,
        ">=" => CompareOp.GreaterOrEqual,
        "contains" => CompareOp.Contains,
        "lacks" => CompareOp.Lacks,
        _ => null,
    };

    private static ValueExpectation ParseValue(Line line, List<Token> w, CompareOp op, string text)
    {
        string subject = w[0].Text;
        if (op is CompareOp.Contains or CompareOp.Lacks)
        {
            if (w.Count != 3) throw line.Bad(w[3].Column, $"{ValueExpectation.OpText(op)} takes one item or a comma-separated list without spaces");
            return new ValueExpectation { Subject = subject, Op = op, ExpectedText = w[2].Text, Text = text };
        }
        // <value> [unit] [± <tol> [unit]]
        int k = 2;
        string valueText = w[k].Text;
        Match m = NumberWithUnit().Match(valueText);
        if (!m.Success || ValueExpectation.IsList(subject))
        {
            if (w.Count != 3) throw line.Bad(w[3].Column, $"a word value ('{valueText}') takes nothing after it");
            if (op is not CompareOp.Equal and not CompareOp.NotEqual) throw line.Bad(w[2].Column, $"'{valueText}' is not a number, so only = and != compare it");
            return new ValueExpectation { Subject = subject, Op = op, ExpectedText = valueText, Text = text };
        }
        Unit fieldUnit = Unit.OfSubject(subject);
        string unitText = m.Groups[2].Value;
        k++;
        if (unitText.Length == 0 && k < w.Count && Unit.TryParse(w[k].Text, out _))
        {
            unitText = w[k].Text;
            k++;
        }
        decimal value = decimal.Parse(m.Groups[1].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        value = Convert(line, w[2].Column, value, unitText, fieldUnit, subject, allowPercent: false, 0);
        decimal tolerance = 0;
        string tolText = "";
        if (k < w.Count)
        {
            if (w[k].Text is not ("±" or "+-" or "+/-")) throw line.Bad(w[k].Column, "after the value comes ± (or +-) and a tolerance, or nothing");
            if (op is not CompareOp.Equal and not CompareOp.NotEqual) throw line.Bad(w[k].Column, "a tolerance goes with = or != only");
            int tcol = k + 1 < w.Count ? w[k + 1].Column : w[k].Column + w[k].Text.Length + 1;
            if (k + 1 >= w.Count) throw line.Bad(tcol, "± needs a tolerance: ± 0.016 or ± 16 nl or ± 0.5 %");
            Match tm = NumberWithUnit().Match(w[k + 1].Text);
            if (!tm.Success || tm.Groups[1].Value.StartsWith('-')) throw line.Bad(tcol, $"'{w[k + 1].Text}' is not a tolerance (a number ≥ 0, with or without a unit)");
            string tu = tm.Groups[2].Value;
            int end = k + 2;
            if (tu.Length == 0 && end < w.Count && (Unit.TryParse(w[end].Text, out _) || w[end].Text == "%"))
            {
                tu = w[end].Text;
                end++;
            }
            if (end < w.Count) throw line.Bad(w[end].Column, "nothing comes after the tolerance");
            decimal tol = decimal.Parse(tm.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            tolerance = Convert(line, tcol, tol, tu, fieldUnit, subject, allowPercent: true, value);
            tolText = " ± " + w[k + 1].Text + (tu.Length > 0 && !w[k + 1].Text.EndsWith(tu, StringComparison.Ordinal) ? " " + tu : "");
        }
        else if (k < w.Count)
        {
            throw line.Bad(w[k].Column, "nothing comes after the value but ± and a tolerance");
        }
        return new ValueExpectation
        {
            Subject = subject, Op = op, Expected = value, Tolerance = tolerance, ToleranceText = tolText,
            ExpectedText = w[2].Text + (m.Groups[2].Value.Length == 0 && unitText.Length > 0 ? " " + unitText : ""), Text = text,
        };
    }

    private static decimal Convert(Line line, int column, decimal value, string unitText, Unit fieldUnit, string subject, bool allowPercent, decimal reference)
    {
        if (unitText.Length == 0) return value;
        if (unitText == "%")
        {
            if (!allowPercent) throw line.Bad(column, "% is for a tolerance (± 0.5 %), not a value");
            return Math.Abs(reference) * value / 100m;
        }
        if (!Unit.TryParse(unitText, out Unit unit)) throw line.Bad(column, $"unknown unit '{unitText}' (nl ul ml, ng ug mg g, ms s min h d, %)");
        if (fieldUnit.Dimension == null) throw line.Bad(column, $"{subject} has no unit in its name, so '{unitText}' cannot apply (write the number alone)");
        if (unit.Dimension != fieldUnit.Dimension) throw line.Bad(column, $"'{unitText}' is a {unit.Dimension}, but {subject} is a {fieldUnit.Dimension} (in {fieldUnit.Name})");
        return value * unit.Factor / fieldUnit.Factor;
    }

    private static EventExpectation ParseEvent(Line line, List<Token> w, int at, bool must, string text)
    {
        string word = w[at].Text;
        if (word.Length < 2 || !EventWord().IsMatch(word)) throw line.Bad(w[at].Column, $"'{word}' is not a ! line's first word (!ALARM, !BOOT, !TEL, ...)");
        var fields = new List<KeyValuePair<string, string>>();
        int k = at + 1;
        for (; k < w.Count && !w[k].Text.Equals("within", StringComparison.OrdinalIgnoreCase); k++)
        {
            string[] kv = w[k].Text.Split('=', 2);
            if (kv.Length != 2 || kv[0].Length == 0 || kv[1].Length == 0) throw line.Bad(w[k].Column, $"'{w[k].Text}' is not key=value (the fields the line must carry), nor 'within'");
            fields.Add(new KeyValuePair<string, string>(kv[0], kv[1]));
        }
        long? micros = null;
        long? steps = null;
        string windowText = "";
        if (k < w.Count)
        {
            int wcol = w[k].Column;
            var rest = w.Skip(k + 1).ToList();
            if (rest.Count == 1 && Scenario.TryDuration(rest[0].Text, out long d))
                micros = d;
            else if (rest.Count == 2 && rest[1].Text.Equals("steps", StringComparison.OrdinalIgnoreCase)
                     && long.TryParse(rest[0].Text, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
                steps = n;
            else
                throw line.Bad(rest.Count > 0 ? rest[0].Column : wcol, "within takes a duration (within 1s, within 2h) or a step count (within 16 steps)");
            windowText = " " + string.Join(' ', w.Skip(k).Select(x => x.Text));
        }
        return new EventExpectation { Must = must, Word = word, Fields = fields, WindowMicros = micros, WindowSteps = steps, WindowText = windowText, Text = text };
    }
}

/// <summary>The units a value or tolerance may carry, by dimension, with the factor to a base
/// unit (µL, µg, ms).</summary>
internal readonly record struct Unit(string Name, string? Dimension, decimal Factor)
{
    public static bool TryParse(string text, out Unit unit)
    {
        unit = text switch
        {
            "nl" => new Unit("nl", "volume", 0.001m),
            "ul" => new Unit("ul", "volume", 1m),
            "ml" => new Unit("ml", "volume", 1000m),
            "ng" => new Unit("ng", "mass", 0.001m),
            "ug" => new Unit("ug", "mass", 1m),
            "mg" => new Unit("mg", "mass", 1000m),
            "g" => new Unit("g", "mass", 1_000_000m),
            "ms" => new Unit("ms", "time", 1m),
            "s" => new Unit("s", "time", 1000m),
            "min" => new Unit("min", "time", 60_000m),
            "h" => new Unit("h", "time", 3_600_000m),
            "d" => new Unit("d", "time", 86_400_000m),
            _ => default,
        };
        return unit.Name != null;
    }

    /// <summary>The unit a subject's name ends in (<c>delivered_ul</c>: µL; <c>rate_ug_day</c>: µg
    /// per day, compared in µg), or none.</summary>
    public static Unit OfSubject(string subject)
    {
        string s = subject.EndsWith("_day", StringComparison.Ordinal) ? subject[..^4] : subject;
        int underscore = s.LastIndexOf('_');
        if (underscore >= 0 && TryParse(s[(underscore + 1)..], out Unit unit) && !subject.EndsWith("_ug_ml", StringComparison.Ordinal)) return unit;
        return new Unit("", null, 1m);
    }
}
