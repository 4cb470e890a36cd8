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
            return condition.Value.EnumerateArray().Any(item => Compare(variable, value, item) == 0);
        }
        if (condition.Op is "lt" or "le" or "gt" or "ge" && value is string category)
        {
            // A category the job does not know (added to the cohort after the job was submitted) is in no range.
            return CategoryOrder(variable, category, condition.Value) is { } position && Satisfies(condition.Op, position);
        }
        return Satisfies(condition.Op, Compare(variable, value, condition.Value));
    }

    private static bool Satisfies(string? op, int order) =>
        op switch
        {
            "eq" => order == 0,
            "ne" => order != 0,
            "lt" => order < 0,
            "le" => order <= 0,
            "gt" => order > 0,
            "ge" => order >= 0,
            _ => throw new NodeException($"The filter uses unknown operator '{op}'."),
        };

    /// <summary>Orders <paramref name="value"/> against <paramref name="operand"/>; categories are equal only when spelled the same.</summary>
    private static int Compare(VariableDefinition variable, object value, JsonElement operand)
    {
        try
        {
            return value switch
            {
                long integer => ((decimal)integer).CompareTo(operand.GetDecimal()),
                decimal number => number.CompareTo(operand.GetDecimal()),
                bool flag => flag.CompareTo(operand.GetBoolean()),
                DateOnly date => date.CompareTo(DateOnly.ParseExact(operand.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
                string category => string.Equals(category, operand.GetString(), StringComparison.Ordinal) ? 0 : 1,
                _ => throw new NodeException($"Variable '{variable.Name}' has a value the filter cannot compare."),
            };
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException or ArgumentNullException)
        {
            throw new NodeException($"The filter on '{variable.Name}' ({variable.Type}) has a value of the wrong type.", exception);
        }
    }

    /// <summary>
    /// Orders categories by the position the cohort declares them in (mild before severe); null when the record's
    /// category is not among them. The filter's value must be one of them.
    /// </summary>
    private static int? CategoryOrder(VariableDefinition variable, string category, JsonElement operand)
    {
        var categories = variable.Categories ?? [];
        var wanted = operand.ValueKind == JsonValueKind.String ? IndexOf(categories, operand.GetString()!) : -1;
        if (wanted < 0)
        {
            throw new NodeException($"The filter on '{variable.Name}' compares with {operand.GetRawText()}, which is not one of its categories.");
        }
        var position = IndexOf(categories, category);
        return position < 0 ? null : position.CompareTo(wanted);
    }

    private static int IndexOf(IReadOnlyList<string> categories, string category)
    {
        for (var i = 0; i < categories.Count; i++)
        {
            if (string.Equals(categories[i], category, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }
}
