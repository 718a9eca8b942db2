// Bad on purpose: see GenericFixture.csproj.
namespace GenericFixture
{
    public sealed class Box<T>
    {
        public T Value;
    }

    public static class Uses
    {
        public static T Identity<T>(T value) { return value; }

        public static int UseBoth()
        {
            Box<int> box = new Box<int>();
            box.Value = 3;
            return Identity(box.Value);
        }
    }

    public static class Clean
    {
        public static int Twice(int x) { return x * 2; }
    }
}
