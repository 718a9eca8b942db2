// What an `expect` line (or `status <check>`) asks of the run. Three kinds: the previous reply's
// start (`expect OK`, `expect ERR 423`, `expect no reply`), a value compared exactly or within
// a tolerance (`expect delivered_ul = 316.656 ± 0.016`, `expect alarms contains STALL`,
// `expect mass_g > 2.5`), and an asynchronous `!` line that must or must not come within a
// window of time or motor steps (`expect !ALARM code=STALL state=RAISED within 16 steps`).
// Values are compared as exact decimals: the protocol prints 3 decimals, so `=` without a
// tolerance means to the nanolitre.
using System.Globalization;

namespace PumpFirmware.VirtualDevice.Scenarios;

/// <summary>One expectation, as written.</summary>
public abstract class Expectation
{
    /// <summary>The expectation's text after substitution (for messages).</summary>
    public string Text { get; init; } = "";
}

/// <summary><c>expect &lt;prefix&gt;</c>: the previous action's status line starts with the
/// prefix; or <c>expect no reply</c>: it got none (a power cut took it).</summary>
public sealed class ReplyExpectation : Expectation
{
    /// <summary>The prefix (null for <c>no reply</c>).</summary>
    public string? Prefix { get; init; }

    /// <summary>Null when it holds, else the failure (expected and actual).</summary>
    public string? Check(string? reply)
    {
        if (Prefix == null)
            return reply == null ? null : $"expected no reply, got '{reply}'";
        if (reply == null) return $"expected a reply starting '{Prefix}', got none (the power went during the request)";
        return reply.StartsWith(Prefix, StringComparison.Ordinal) ? null : $"expected a reply starting '{Prefix}', got '{reply}'";
    }
}

/// <summary>A comparison operator of a value expectation.</summary>
public enum CompareOp
{
    /// <summary><c>=</c> (within the tolerance, if any; set equality for lists).</summary>
    Equal,
    /// <summary><c>!=</c>.</summary>
    NotEqual,
    /// <summary><c>&lt;</c>.</summary>
    Less,
    /// <summary><c>&lt;=</c>.</summary>
    LessOrEqual,
    /// <summary><c>&gt;</c>.</summary>
    Greater,
    /// <summary><c>&gt;=</c>.</summary>
    GreaterOrEqual,
    /// <summary><c>contains</c>: every listed item is in the list.</summary>
    Contains,
    /// <summary><c>lacks</c>: no listed item is in the list.</summary>
    Lacks,
}

/// <summary><c>expect &lt;name&gt; &lt;op&gt; &lt;value&gt; [± &lt;tolerance&gt;]</c>.</summary>
public sealed class ValueExpectation : Expectation
{
    /// <summary>A field of the last reply (<c>delivered_ul</c>), or <c>mass_g</c> / <c>plant_ul</c>.</summary>
    public string Subject { get; init; } = "";

    /// <summary>The comparison.</summary>
    public CompareOp Op { get; init; }

    /// <summary>The expected text (words and lists), as written.</summary>
    public string ExpectedText { get; init; } = "";

    /// <summary>The expected number in the subject's own unit, when the value is a number.</summary>
    public decimal? Expected { get; init; }

    /// <summary>Absolute tolerance in the subject's unit (0 = exact).</summary>
    public decimal Tolerance { get; init; }

    /// <summary>The tolerance as written (<c>± 16 nl</c>), for messages.</summary>
    public string ToleranceText { get; init; } = "";

    /// <summary>Null when it holds, else the failure naming expected and actual.</summary>
    /// <param name="actual">The subject's value now (null: absent).</param>
    /// <param name="where">Where the value came from (the reply line), for messages.</param>
    public string? Check(string? actual, string where)
    {
        string expected = "expected " + Subject + " " + OpText(Op) + " " + ExpectedText + ToleranceText;
        if (actual == null) return $"{expected}, but there is no {Subject}= in {where}";
        if (Op is CompareOp.Contains or CompareOp.Lacks || (Op is CompareOp.Equal or CompareOp.NotEqual && IsList(Subject)))
        {
            var have = Items(actual);
            var want = Items(ExpectedText);
            bool holds = Op switch
            {
                CompareOp.Contains => want.IsSubsetOf(have),
                CompareOp.Lacks => !want.Overlaps(have),
                CompareOp.Equal => have.SetEquals(want),
                _ => !have.SetEquals(want),
            };
            return holds ? null : $"{expected}, actual {Subject}={actual}";
        }
        if (Expected is decimal e)
        {
            if (!decimal.TryParse(actual, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal a))
                return $"{expected}, actual {Subject}={actual} is not a number";
            decimal diff = a - e;
            bool within = Math.Abs(diff) <= Tolerance;
            bool holds = Op switch
            {
                CompareOp.Equal => within,
                CompareOp.NotEqual => !within,
                CompareOp.Less => a < e,
                CompareOp.LessOrEqual => a <= e,
                CompareOp.Greater => a > e,
                _ => a >= e,
            };
            if (holds) return null;
            string off = Op == CompareOp.Equal ? " (off by " + (diff >= 0 ? "+" : "") + diff.ToString(CultureInfo.InvariantCulture) + ")" : "";
            return $"{expected}, actual {actual}{off}";
        }
        bool same = string.Equals(actual, ExpectedText, StringComparison.Ordinal);
        return (Op == CompareOp.Equal) == same ? null : $"{expected}, actual {Subject}={actual}";
    }

    /// <summary>Fields whose value is a comma-separated list (NONE = empty).</summary>
    public static bool IsList(string subject) => subject is "alarms" or "acked";

    private static HashSet<string> Items(string list)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (string item in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item != "NONE") set.Add(item);
        }
        return set;
    }

    /// <summary>The operator as written.</summary>
    public static string OpText(CompareOp op) => op switch
    {
        CompareOp.Equal => "=",
        CompareOp.NotEqual => "!=",
        CompareOp.Less => "<",
        CompareOp.LessOrEqual => "<=",
        CompareOp.Greater => ">",
        CompareOp.GreaterOrEqual => ">=",
        CompareOp.Contains => "contains",
        _ => "lacks",
    };
}

/// <summary><c>expect [no] !WORD [key=value ...] [within &lt;duration&gt; | within &lt;n&gt; steps]</c>:
/// an asynchronous line that starts with <c>!WORD</c> and carries every given field must (or must
/// not) come between the start of the previous action and the end of the window (the end of the
/// scenario when no window is given).</summary>
public sealed class EventExpectation : Expectation
{
    /// <summary>True for "must come", false for <c>no</c> ("must not").</summary>
    public bool Must { get; init; } = true;

    /// <summary>The line's first word, with its <c>!</c>.</summary>
    public string Word { get; init; } = "";

    /// <summary>Fields the line must carry with exactly these values.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; init; } = Array.Empty<KeyValuePair<string, string>>();

    /// <summary>Length of a time window, µs (null: none).</summary>
    public long? WindowMicros { get; init; }

    /// <summary>Length of a window in motor steps counted by the firmware (null: none).</summary>
    public long? WindowSteps { get; init; }

    /// <summary>The window as written (<c>within 16 steps</c>), for messages.</summary>
    public string WindowText { get; init; } = "";

    /// <summary>True when <paramref name="line"/> is such a line.</summary>
    public bool Matches(string line)
    {
        if (!line.StartsWith(Word, StringComparison.Ordinal)) return false;
        if (line.Length > Word.Length && line[Word.Length] != ' ') return false;
        foreach (var field in Fields)
        {
            if (ScenarioRunner.Field(line, field.Key) != field.Value) return false;
        }
        return true;
    }
}
