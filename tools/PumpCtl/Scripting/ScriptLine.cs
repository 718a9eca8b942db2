// One request of a script, with where it came from, so an error can name the line.
namespace PumpCtl.Scripting;

/// <summary>A protocol line read from a script file.</summary>
/// <param name="LineNumber">1-based line number in the file.</param>
/// <param name="Text">The request, comment and surrounding blanks removed.</param>
public sealed record ScriptLine(int LineNumber, string Text);
