// The arithmetic allowed inside ${...}: decimal numbers, parameter and repeat-counter names,
// + - * / and parentheses. Exact decimals (a division is rounded to 6 places); no functions, no
// conditions: the format stays a list of actions, not a programming language.
using System.Globalization;

namespace PumpFirmware.VirtualDevice.Scenarios;

/// <summary>Evaluates the text of one <c>${...}</c>.</summary>
public static class ParamExpression
{
    /// <summary>The value of <paramref name="expression"/>: a name's text as is, or the result of
    /// the arithmetic printed without trailing zeros.</summary>
    /// <exception cref="FormatException">The reason (unknown name, bad syntax, not a number).</exception>
    public static string Evaluate(string expression, IReadOnlyDictionary<string, string> names)
    {
        string text = expression.Trim();
        if (names.TryGetValue(text, out string? plain)) return plain;
        var parser = new Parser(text, names);
        decimal value = parser.Sum();
        parser.End();
        return Print(value);
    }

    /// <summary>A decimal printed as the protocol writes numbers: no exponent, no trailing zeros.</summary>
    public static string Print(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private sealed class Parser(string text, IReadOnlyDictionary<string, string> names)
    {
        private int _at;

        public decimal Sum()
        {
            decimal value = Product();
            while (true)
            {
                Skip();
                if (Peek('+')) { _at++; value += Product(); }
                else if (Peek('-')) { _at++; value -= Product(); }
                else return value;
            }
        }

        public void End()
        {
            Skip();
            if (_at < text.Length) throw new FormatException($"unexpected '{text[_at]}' in ${{{text}}}");
        }

        private decimal Product()
        {
            decimal value = Atom();
            while (true)
            {
                Skip();
                if (Peek('*')) { _at++; value *= Atom(); }
                else if (Peek('/'))
                {
                    _at++;
                    decimal d = Atom();
                    if (d == 0) throw new FormatException($"division by zero in ${{{text}}}");
                    value = Math.Round(value / d, 6);
                }
                else return value;
            }
        }

        private decimal Atom()
        {
            Skip();
            if (_at >= text.Length) throw new FormatException($"${{{text}}} ends too early");
            char c = text[_at];
            if (c == '(')
            {
                _at++;
                decimal inner = Sum();
                Skip();
                if (!Peek(')')) throw new FormatException($"missing ')' in ${{{text}}}");
                _at++;
                return inner;
            }
            if (c == '-') { _at++; return -Atom(); }
            int start = _at;
            if (char.IsDigit(c))
            {
                while (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] == '.')) _at++;
                string number = text[start.._at];
                if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal n))
                    throw new FormatException($"'{number}' is not a number");
                return n;
            }
            if (char.IsLetter(c) || c == '_')
            {
                while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] == '_')) _at++;
                string name = text[start.._at];
                if (!names.TryGetValue(name, out string? value))
                    throw new FormatException($"unknown name '{name}' (parameters and repeat counters defined so far: {(names.Count == 0 ? "none" : string.Join(", ", names.Keys.Order(StringComparer.Ordinal)))})");
                if (!decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal v))
                    throw new FormatException($"'{name}' is '{value}', not a number, so it cannot be used in arithmetic");
                return v;
            }
            throw new FormatException($"unexpected '{c}' in ${{{text}}}");
        }

        private bool Peek(char c) => _at < text.Length && text[_at] == c;

        private void Skip()
        {
            while (_at < text.Length && text[_at] == ' ') _at++;
        }
    }
}
