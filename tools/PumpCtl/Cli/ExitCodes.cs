// pumpctl's exit codes, one meaning each, so scripts and CI can tell a refused request from
// a typo and from a dead cable.
namespace PumpCtl.Cli;

/// <summary>Process exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Ok = 0;

    /// <summary>The device answered ERR, or the input data cannot support what was asked (analysis).</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong (unknown option, missing argument, value out of range).</summary>
    public const int Usage = 2;

    /// <summary>The port could not be opened, the link failed, or the device did not answer.</summary>
    public const int Communication = 3;
}
