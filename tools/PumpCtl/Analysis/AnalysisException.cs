// The log cannot support the analysis asked for; the message names what is missing.
namespace PumpCtl.Analysis;

/// <summary>A log that is too short, irregular or lacks a column.</summary>
public sealed class AnalysisException : Exception
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public AnalysisException(string message) : base(message)
    {
    }
}
