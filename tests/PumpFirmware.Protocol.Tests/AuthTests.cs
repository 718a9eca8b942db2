using PumpFirmware.Protocol;
using PumpFirmware.Storage;
using Xunit;

namespace PumpFirmware.Protocol.Tests;

public class AuthTests
{
    private const long S = 1_000_000;
    private static char[] Pin(string p) => p.ToCharArray();

    [Fact]
    public void The_default_pin_is_0000()
    {
        var auth = new Auth();
        Assert.True(auth.IsDefaultPin);
        Assert.Equal(Auth.Granted, auth.TryAuth(Pin("0000"), 4, 0));
        Assert.True(auth.IsAuthorized);
    }

    [Fact]
    public void Five_wrong_pins_lock_for_900_s_and_the_fifth_is_still_a_403()
    {
        var auth = new Auth();
        for (int i = 1; i <= 5; i++)
        {
            Assert.Equal(Auth.WrongPin, auth.TryAuth(Pin("1111"), 4, i * S));
            Assert.Equal(5 - i, auth.AttemptsLeft);
        }
        Assert.Equal(Auth.Locked, auth.TryAuth(Pin("0000"), 4, 6 * S));
        Assert.Equal(899L, auth.LockRemainingSeconds(6 * S));
        Assert.Equal(1L, auth.LockRemainingSeconds(904 * S));
        Assert.Equal(Auth.Locked, auth.TryAuth(Pin("0000"), 4, 905 * S - 1));
        Assert.Equal(Auth.Granted, auth.TryAuth(Pin("0000"), 4, 905 * S));
    }

    [Fact]
    public void A_right_pin_resets_the_count()
    {
        var auth = new Auth();
        for (int i = 0; i < 4; i++) auth.TryAuth(Pin("9999"), 4, 0);
        Assert.Equal(Auth.Granted, auth.TryAuth(Pin("0000"), 4, 0));
        Assert.Equal(5, auth.AttemptsLeft);
    }

    [Fact]
    public void The_count_and_lock_survive_save_and_load_but_the_session_does_not()
    {
        var auth = new Auth();
        auth.SetPin(Pin("24680"), 5);
        auth.TryAuth(Pin("24680"), 5, 0);
        for (int i = 0; i < 5; i++) auth.TryAuth(Pin("1234"), 4, 10 * S);
        var buffer = new byte[64];
        var w = new StateWriter(buffer);
        auth.Save(w);

        var copy = new Auth();
        Assert.True(copy.Load(new StateReader(buffer, 0, w.Position)));
        Assert.False(copy.IsAuthorized);
        Assert.False(copy.IsDefaultPin);
        Assert.Equal(Auth.Locked, copy.TryAuth(Pin("24680"), 5, 500 * S));
        Assert.Equal(Auth.Granted, copy.TryAuth(Pin("24680"), 5, 910 * S));
    }

    [Fact]
    public void The_pin_is_not_stored_in_plain_digits()
    {
        var auth = new Auth();
        auth.SetPin(Pin("13579246"), 8);
        var buffer = new byte[64];
        var w = new StateWriter(buffer);
        auth.Save(w);
        string bytes = System.Text.Encoding.Latin1.GetString(buffer, 0, w.Position);
        Assert.DoesNotContain("1357", bytes);
    }

    [Fact]
    public void Pins_that_differ_only_in_length_or_leading_zeros_differ()
    {
        Assert.NotEqual(Auth.Hash(Pin("0000"), 4), Auth.Hash(Pin("00000"), 5));
        Assert.NotEqual(Auth.Hash(Pin("1234"), 4), Auth.Hash(Pin("01234"), 5));
    }

    [Theory]
    [InlineData(599, true)]
    [InlineData(600, false)]
    public void A_session_ends_600_s_after_the_last_request(long idleSeconds, bool stillOpen)
    {
        var auth = new Auth();
        auth.OnRequest(0);
        auth.TryAuth(Pin("0000"), 4, 0);
        auth.OnRequest(100 * S);
        auth.OnRequest((100 + idleSeconds) * S);
        Assert.Equal(stillOpen, auth.IsAuthorized);
    }
}
