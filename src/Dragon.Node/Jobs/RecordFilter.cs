using System.Globalization;
using System.Text.Json;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Jobs;
using Dragon.Node.Cli;
using Dragon.Node.Data;

namespace Dragon.Node.Jobs;

/// <summary>A job's filter on local records: every condition must hold; a missing value satisfies none.</summary>
public static class RecordFilter
{
    /// <exception cref="NodeException">A condition names an unknown variable or operator, or a value of the wrong type.</exception>
    public static bool Matches(LocalRecord record, IReadOnlyList<FilterCondition> filter, IReadOnlyDictionary<string, VariableDefinition> variables)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(variables);
        foreach (var condition in filter)
        {
            var variable = variables.GetValueOrDefault(condition.Variable ?? string.Empty)
                ?? throw new NodeException($"The filter names variable '{condition.Variable}', which the cohort does not have.");
            var value = record.Values.GetValueOrDefault(variable.Name!);
            if (value is null || !Holds(variable, condition, value))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Holds(VariableDefinition variable, FilterCondition condition, object value)
    {
        if (condition.Op == "in")
        {
            if (condition.Value.ValueKind != JsonValueKind.Array)
            {
                throw new NodeException($"The filter on '{variable.Name}' uses 'in' without an array.");
            }
            return condition.Value.EnumerateArray().Any(item => Compare(variable, value, item, ordering: false) == 0);
        }
        var order = Compare(variable, value, condition.Value, ordering: condition.Op is not ("eq" or "ne"));
        return condition.Op switch
        {
            "eq" => order == 0,
            "ne" => order != 0,
            "lt" => order < 0,
            "le" => order <= 0,
            "gt" => order > 0,
            "ge" => order >= 0,
            _ => throw new NodeException($"The filter uses unknown operator '{condition.Op}'."),
        };
    }

    /// <summary>
    /// Orders <paramref name="value"/> against <paramref name="operand"/>. Categories are equal only when spelled the
    /// same; when <paramref name="ordering"/>, they follow the order the cohort declares them in (mild before severe).
    /// </summary>
    private static int Compare(VariableDefinition variable, object value, JsonElement operand, bool ordering)
    {
        try
        {
            return value switch
            {
                long integer => ((decimal)integer).CompareTo(operand.GetDecimal()),
                decimal number => number.CompareTo(operand.GetDecimal()),
                bool flag => flag.CompareTo(operand.GetBoolean()),
                DateOnly date => date.CompareTo(DateOnly.ParseExact(operand.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
                string category when !ordering => string.Equals(category, operand.GetString(), StringComparison.Ordinal) ? 0 : 1,
                string category => Position(variable, category).CompareTo(Position(variable, operand.GetString())),
                _ => throw new NodeException($"Variable '{variable.Name}' has a value the filter cannot compare."),
            };
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException or ArgumentNullException)
        {
            throw new NodeException($"The filter on '{variable.Name}' ({variable.Type}) has a value of the wrong type.", exception);
        }
    }

    private static int Position(VariableDefinition variable, string? category)
    {
        var position = category is null ? -1 : variable.Categories?.ToList().IndexOf(category) ?? -1;
        return position >= 0
            ? position
            : throw new NodeException($"The filter on '{variable.Name}' compares with '{category}', which is not one of its categories.");
    }
}
