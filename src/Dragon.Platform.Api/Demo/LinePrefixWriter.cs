using System.Text;

namespace Dragon.Platform.Api.Demo;

/// <summary>Writes whole lines to <paramref name="inner"/>, each starting with <paramref name="prefix"/>, so interleaved agents stay readable.</summary>
public sealed class LinePrefixWriter(TextWriter inner, string prefix) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        lock (_line)
        {
            if (value == '\n')
            {
                lock (inner)
                {
                    inner.WriteLine(prefix + _line.ToString().TrimEnd('\r'));
                }
                _line.Clear();
            }
            else
            {
                _line.Append(value);
            }
        }
    }
}
