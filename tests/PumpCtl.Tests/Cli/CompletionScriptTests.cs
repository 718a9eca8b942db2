// The zsh and PowerShell completion scripts, checked as the bash one is: each is well formed
// (zsh -n when zsh is installed, pwsh's parser when PowerShell is; structural checks always),
// and the line each script hands to pumpctl's [suggest:N] directive yields every command of
// the command tree, at every level. Where the shell is installed, the real shell sources the
// script and calls its completion function the way it does on Tab.
using System.CommandLine;
using System.Diagnostics;
using PumpCtl.Cli;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.Cli;

[Collection("Console")]
public sealed class CompletionScriptTests
{
    private static readonly RootCommand Root = CliApp.Build(new ScriptedLine(_ => Array.Empty<string>()), new ScriptedLine(_ => Array.Empty<string>()));

    // Every command with a subcommand, as the words typed before the subcommand's name ("" = the root).
    private static List<string> ParentPaths()
    {
        var paths = new List<string>();
        void Walk(Command c, string path)
        {
            if (c.Subcommands.Count > 0) paths.Add(path);
            foreach (Command sub in c.Subcommands) Walk(sub, path.Length == 0 ? sub.Name : path + " " + sub.Name);
        }
        Walk(Root, "");
        return paths;
    }

    public static TheoryData<string> Parents() => new(ParentPaths());

    private static Command At(string path)
    {
        Command c = Root;
        foreach (string word in path.Split(' ', StringSplitOptions.RemoveEmptyEntries)) c = c.Subcommands.Single(s => s.Name == word);
        return c;
    }

    private static string[] Suggest(string line, int position)
    {
        var (exit, output, _) = ConsoleCapture.Run(new[] { $"[suggest:{position}]", line });
        Assert.Equal(0, exit);
        return output.Replace("\r\n", "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string Script(string shell)
    {
        var (exit, output, _) = ConsoleCapture.Run(new[] { "completion", shell });
        Assert.Equal(0, exit);
        return output;
    }

    // Brackets pair up and every quote closes, as a shell reads them: '...' is literal, "..."
    // may hold $( ) and ${ } whose insides are code again (with quotes of their own), and a
    // comment starts at a word's first character.
    private static void AssertBalanced(string script, char comment)
    {
        var stack = new Stack<char>(); // '\'', '"', or the closing bracket awaited
        for (int i = 0; i < script.Length; i++)
        {
            char c = script[i];
            char top = stack.Count == 0 ? '\0' : stack.Peek();
            char next = i + 1 < script.Length ? script[i + 1] : '\0';
            if (top == '\'')
            {
                if (c == '\'') stack.Pop();
                continue;
            }
            if (c == '\\')
            {
                i++;
                continue;
            }
            if (top == '"')
            {
                if (c == '"') stack.Pop();
                else if (c == '$' && next is '(' or '{')
                {
                    stack.Push(next == '(' ? ')' : '}');
                    i++;
                }
                continue;
            }
            if (c == comment && (i == 0 || char.IsWhiteSpace(script[i - 1])))
            {
                while (i + 1 < script.Length && script[i + 1] != '\n') i++;
                continue;
            }
            if (c is '\'' or '"') stack.Push(c);
            else if (c is '(' or '{' or '[') stack.Push(c == '(' ? ')' : c == '{' ? '}' : ']');
            else if (c is ')' or '}' or ']')
            {
                Assert.True(top == c, $"'{c}' at {i} closes '{top}': ...{script[Math.Max(0, i - 40)..(i + 1)]}");
                stack.Pop();
            }
        }
        Assert.Empty(stack);
    }

    private static string? Which(string program)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string path = Path.Combine(dir, program);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    private static (int Exit, string Out, string Err) RunShell(string shell, string[] args, string? pathPrefix = null)
    {
        var start = new ProcessStartInfo(shell, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (pathPrefix != null) start.Environment["PATH"] = pathPrefix + ":" + Environment.GetEnvironmentVariable("PATH");
        using Process p = Process.Start(start)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(120_000), shell + " did not finish");
        return (p.ExitCode, output, err.Result);
    }

    // A folder with a `pumpctl` on it that runs this build's pumpctl.dll.
    private static string PumpctlOnPath()
    {
        string bin = Path.Combine(Path.GetTempPath(), "pumpctl-completion-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(bin);
        string dll = Path.Combine(AppContext.BaseDirectory, "pumpctl.dll");
        File.WriteAllText(Path.Combine(bin, "pumpctl"), $"#!/bin/sh\nexec dotnet \"{dll}\" \"$@\"\n");
        File.SetUnixFileMode(Path.Combine(bin, "pumpctl"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin;
    }

    [Fact]
    public void The_command_tree_has_the_commands_the_scripts_must_offer()
    {
        // Guards the theories below against an empty tree.
        Assert.Contains("", ParentPaths());
        Assert.True(Root.Subcommands.Count >= 12, string.Join(", ", Root.Subcommands.Select(c => c.Name)));
    }

    [Theory]
    [InlineData("_f() {\n    echo \"$(x \"a\")\"\n")]
    [InlineData("_f() {\n    echo \"a\n}\n")]
    [InlineData("_f() {\n    echo ${x]}\n}\n")]
    [InlineData("x = 'a\n")]
    public void The_well_formed_check_finds_an_unclosed_bracket_or_quote(string broken)
    {
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertBalanced(broken, '#'));
        AssertBalanced("_f() {\n    echo \"$(x \"a\")\" # it's fine\n}\n", '#');
    }

    [Fact]
    public void The_zsh_script_is_well_formed()
    {
        string script = Script("zsh");
        AssertBalanced(script, '#');
        Assert.Matches(@"(?m)^_pumpctl\(\) \{$", script);
        Assert.Contains("compdef _pumpctl pumpctl", script);
        Assert.Contains("compadd -a suggestions", script);
        string? zsh = Which("zsh");
        if (zsh == null) return; // zsh is not installed: the structural checks above are what runs
        string file = Path.Combine(Path.GetTempPath(), "pumpctl-" + Guid.NewGuid().ToString("N") + ".zsh");
        File.WriteAllText(file, script);
        try
        {
            var (exit, _, err) = RunShell(zsh, new[] { "-n", file });
            Assert.True(exit == 0, "zsh -n: " + err);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [MemberData(nameof(Parents))]
    public void The_line_the_zsh_script_builds_completes_every_subcommand(string parent)
    {
        // _pumpctl joins words[1,CURRENT] with spaces; on Tab after "pumpctl <parent> " the last word is empty.
        var words = new List<string> { "pumpctl" };
        words.AddRange(parent.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        words.Add("");
        string line = string.Join(' ', words);
        string[] offered = Suggest(line, line.Length);
        foreach (Command sub in At(parent).Subcommands) Assert.Contains(sub.Name, offered);
    }

    [SkippableFact]
    public void Zsh_completes_every_command_with_the_script_pumpctl_prints()
    {
        string? zsh = Which("zsh");
        Skip.If(zsh == null, "zsh is not installed here; the line the script builds is checked above");
        string bin = PumpctlOnPath();
        try
        {
            // compdef and compadd belong to compinit; stand-ins print what the script registers and offers.
            string script = "compdef() { print -r -- \"compdef $*\" }\n" +
                "compadd() { [[ $1 == -a ]] && print -rl -- \"${(@P)2}\" }\n" +
                "source <(pumpctl completion zsh)\n" +
                "words=(pumpctl ''); CURRENT=2; _pumpctl\n" +
                "print -r -- '--'\n" +
                "words=(pumpctl sim --clock m); CURRENT=4; _pumpctl\n";
            var (exit, output, err) = RunShell(zsh, new[] { "-f", "-c", script }, bin);
            Assert.True(exit == 0, err);
            string[] lines = output.Split('\n');
            Assert.Equal("compdef _pumpctl pumpctl", lines[0]);
            string[] commands = lines.Skip(1).TakeWhile(l => l != "--").ToArray();
            foreach (Command c in Root.Subcommands) Assert.Contains(c.Name, commands);
            Assert.Contains("manual", lines.SkipWhile(l => l != "--"));
        }
        finally
        {
            Directory.Delete(bin, true);
        }
    }

    [Fact]
    public void The_powershell_script_is_well_formed()
    {
        string script = Script("powershell");
        AssertBalanced(script, '#');
        Assert.Contains("Register-ArgumentCompleter -Native -CommandName pumpctl -ScriptBlock {", script);
        Assert.Contains("param($wordToComplete, $commandAst, $cursorPosition)", script);
        Assert.Contains("[System.Management.Automation.CompletionResult]::new(", script);
        string? pwsh = Which("pwsh");
        if (pwsh == null) return; // PowerShell is not installed: the structural checks above are what runs
        string file = Path.Combine(Path.GetTempPath(), "pumpctl-" + Guid.NewGuid().ToString("N") + ".ps1");
        File.WriteAllText(file, script);
        try
        {
            string parse = "$e = $null; [void][System.Management.Automation.Language.Parser]::ParseFile('" + file + "', [ref]$null, [ref]$e); " +
                "if ($e.Count -gt 0) { $e | ForEach-Object { $_.Message }; exit 1 }";
            var (exit, output, err) = RunShell(pwsh, new[] { "-NoProfile", "-NonInteractive", "-Command", parse });
            Assert.True(exit == 0, output + err);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [MemberData(nameof(Parents))]
    public void The_line_the_powershell_script_builds_completes_every_subcommand(string parent)
    {
        // PowerShell's command AST drops the trailing space of "pumpctl <parent> "; the script pads
        // the line back to the cursor, then asks pumpctl "[suggest:<cursor>]" "<line>".
        string typed = "pumpctl " + (parent.Length == 0 ? "" : parent + " ");
        int position = typed.Length;
        string line = typed.TrimEnd();
        if (position > line.Length) line += new string(' ', position - line.Length);
        string[] offered = Suggest(line, position);
        foreach (Command sub in At(parent).Subcommands) Assert.Contains(sub.Name, offered);
    }

    [SkippableFact]
    public void PowerShell_completes_every_command_with_the_script_pumpctl_prints()
    {
        string? pwsh = Which("pwsh");
        Skip.If(pwsh == null, "PowerShell is not installed here; the line the script builds is checked above");
        string bin = PumpctlOnPath();
        try
        {
            string script = "pumpctl completion powershell | Out-String | Invoke-Expression; " +
                "(TabExpansion2 -inputScript 'pumpctl ' -cursorColumn 8).CompletionMatches | ForEach-Object { $_.CompletionText }";
            var (exit, output, err) = RunShell(pwsh, new[] { "-NoProfile", "-NonInteractive", "-Command", script }, bin);
            Assert.True(exit == 0, err);
            string[] offered = output.Replace("\r\n", "\n").Split('\n');
            foreach (Command c in Root.Subcommands) Assert.Contains(c.Name, offered);
        }
        finally
        {
            Directory.Delete(bin, true);
        }
    }
}
