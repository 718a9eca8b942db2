// `pumpctl completion bash|zsh|powershell`: prints a script that makes the shell complete
// pumpctl's commands, options, option values (--source, --clock) and ports. Each script asks
// pumpctl itself through System.CommandLine's `[suggest:<position>]` directive, so the
// completions always match the installed version; nothing else needs installing.
using System.CommandLine;

namespace PumpCtl.Cli;

/// <summary>Builds <c>pumpctl completion</c>.</summary>
public static class CompletionCommand
{
    /// <summary>bash: <c>source &lt;(pumpctl completion bash)</c>, e.g. in ~/.bashrc.</summary>
    public const string Bash =
        "# pumpctl completion for bash. Load it with: source <(pumpctl completion bash)\n" +
        "_pumpctl_complete()\n" +
        "{\n" +
        "    local IFS=$'\\n'\n" +
        "    local line=\"${COMP_LINE:0:COMP_POINT}\"\n" +
        "    COMPREPLY=( $(compgen -W \"$(\"${COMP_WORDS[0]}\" \"[suggest:${#line}]\" \"$line\" 2>/dev/null)\" -- \"${COMP_WORDS[COMP_CWORD]}\") )\n" +
        "}\n" +
        "complete -o default -F _pumpctl_complete pumpctl\n";

    /// <summary>zsh: <c>source &lt;(pumpctl completion zsh)</c> after <c>compinit</c>.</summary>
    public const string Zsh =
        "# pumpctl completion for zsh. Load it with: source <(pumpctl completion zsh)  (after compinit)\n" +
        "_pumpctl() {\n" +
        "    local line=\"${(j: :)words[1,CURRENT]}\"\n" +
        "    local -a suggestions\n" +
        "    suggestions=(\"${(@f)$(\"${words[1]}\" \"[suggest:${#line}]\" \"$line\" 2>/dev/null)}\")\n" +
        "    compadd -a suggestions\n" +
        "}\n" +
        "compdef _pumpctl pumpctl\n";

    /// <summary>PowerShell: <c>pumpctl completion powershell | Out-String | Invoke-Expression</c>, e.g. in $PROFILE.</summary>
    public const string PowerShell =
        "# pumpctl completion for PowerShell. Load it with: pumpctl completion powershell | Out-String | Invoke-Expression\n" +
        "Register-ArgumentCompleter -Native -CommandName pumpctl -ScriptBlock {\n" +
        "    param($wordToComplete, $commandAst, $cursorPosition)\n" +
        "    $line = $commandAst.ToString()\n" +
        "    $position = $cursorPosition - $commandAst.Extent.StartOffset\n" +
        "    if ($position -gt $line.Length) { $line = $line + ' ' * ($position - $line.Length) }\n" +
        "    pumpctl \"[suggest:$position]\" \"$line\" 2>$null | ForEach-Object {\n" +
        "        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)\n" +
        "    }\n" +
        "}\n";

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var shell = OptionValues.OneOfArgument("shell", "The shell to complete in", "bash", "zsh", "powershell");
        var command = new Command("completion",
            "Print a shell completion script: 'source <(pumpctl completion bash)' (or zsh) in your shell's profile; " +
            "PowerShell: 'pumpctl completion powershell | Out-String | Invoke-Expression' in $PROFILE.")
        {
            shell,
        };
        command.SetAction(r =>
        {
            Console.Out.Write(r.GetValue(shell) switch
            {
                "bash" => Bash,
                "zsh" => Zsh,
                _ => PowerShell,
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
