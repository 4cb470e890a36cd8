using System.Globalization;
using Dragon.Contracts.Catalogue;

namespace Dragon.Node.Data;

/// <summary>Turns text or a database value into the typed value of a variable, or says why it cannot.</summary>
public static class VariableValues
{
    private const NumberStyles DecimalStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Parses text: integers and decimals in invariant culture, booleans <c>true</c>/<c>false</c>, dates <c>yyyy-MM-dd</c>; empty is missing.</summary>
    /// <returns>Null on success, otherwise the reason.</returns>
    public static string? TryParse(VariableDefinition variable, string text, out object? value)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(text);
        value = null;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }
        switch (variable.Type)
        {
            case VariableTypes.Integer when long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer):
                value = integer;
                return null;
            case VariableTypes.Decimal when decimal.TryParse(trimmed, DecimalStyle, CultureInfo.InvariantCulture, out var number):
                value = number;
                return null;
            case VariableTypes.Categorical when variable.Categories!.Contains(trimmed, StringComparer.Ordinal):
                value = trimmed;
                return null;
            case VariableTypes.Boolean when bool.TryParse(trimmed, out var flag):
                value = flag;
                return null;
            case VariableTypes.Date when DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date):
                value = date;
                return null;
            default:
                return Expected(variable, $"'{trimmed}'");
        }
    }

    /// <summary>Converts a value read through ADO.NET: numbers, strings, booleans (or 0/1), dates (or ISO text); DBNull is missing.</summary>
    /// <returns>Null on success, otherwise the reason.</returns>
    public static string? TryConvert(VariableDefinition variable, object? databaseValue, out object? value)
    {
        ArgumentNullException.ThrowIfNull(variable);
        value = null;
        switch (databaseValue)
        {
            case null or DBNull:
                return null;
            case string text:
                return TryParse(variable, text, out value);
        }
        switch (variable.Type)
        {
            case VariableTypes.Integer when databaseValue is long or int or short or byte:
                value = Convert.ToInt64(databaseValue, CultureInfo.InvariantCulture);
                return null;
            case VariableTypes.Integer when databaseValue is decimal or double or float:
                var whole = Convert.ToDecimal(databaseValue, CultureInfo.InvariantCulture);
                if (whole != decimal.Truncate(whole))
                {
                    return Expected(variable, whole.ToString(CultureInfo.InvariantCulture));
                }
                value = (long)whole;
                return null;
            case VariableTypes.Decimal when databaseValue is long or int or short or byte or decimal or double or float:
                value = Convert.ToDecimal(databaseValue, CultureInfo.InvariantCulture);
                return null;
            case VariableTypes.Boolean when databaseValue is bool flag:
                value = flag;
                return null;
            case VariableTypes.Boolean when databaseValue is long or int or short or byte:
                var bit = Convert.ToInt64(databaseValue, CultureInfo.InvariantCulture);
                if (bit is not (0 or 1))
                {
                    return Expected(variable, bit.ToString(CultureInfo.InvariantCulture));
                }
                value = bit == 1;
                return null;
            case VariableTypes.Date when databaseValue is DateOnly date:
                value = date;
                return null;
            case VariableTypes.Date when databaseValue is DateTime moment && moment.TimeOfDay == TimeSpan.Zero:
                value = DateOnly.FromDateTime(moment);
                return null;
            default:
                return Expected(variable, $"a {databaseValue.GetType().Name} value");
        }
    }

    private static string Expected(VariableDefinition variable, string found) => variable.Type switch
    {
        VariableTypes.Integer => $"{variable.Name}: expected a whole number, found {found}.",
        VariableTypes.Decimal => $"{variable.Name}: expected a number with a '.' decimal point, found {found}.",
        VariableTypes.Categorical => $"{variable.Name}: expected one of {string.Join(", ", variable.Categories!)}, found {found}.",
        VariableTypes.Boolean => $"{variable.Name}: expected true or false, found {found}.",
        VariableTypes.Date => $"{variable.Name}: expected a date as yyyy-MM-dd, found {found}.",
        _ => $"{variable.Name}: unknown type '{variable.Type}'.",
    };
}
