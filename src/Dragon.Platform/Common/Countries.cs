using System.Globalization;

namespace Dragon.Platform.Common;

public static class Countries
{
    /// <summary>Whether <paramref name="code"/> is an upper-case ISO 3166-1 alpha-2 code the platform's ICU data knows.</summary>
    public static bool IsCode(string? code)
    {
        if (code is not { Length: 2 } || !code.All(char.IsAsciiLetterUpper))
        {
            return false;
        }
        try
        {
            return new RegionInfo(code).TwoLetterISORegionName == code;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
