using System.Globalization;
using System.Text.Json;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Jobs;
using Dragon.Node.Cli;
using Dragon.Node.Data;

namespace Dragon.Node.Jobs;

/// <summary>
/// A job's filter on local records: every condition must hold; a missing value satisfies none. <see cref="Compile"/>
/// checks the conditions and parses their values once, for filters applied to many records.
/// </summary>
public static class RecordFilter
{
    /// <exception cref="NodeException">A condition names an unknown variable or operator, or a value of the wrong type.</exception>
    public static bool Matches(LocalRecord record, IReadOnlyList<FilterCondition> filter, IReadOnlyDictionary<string, VariableDefinition> variables)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Compile(filter, variables)(record);
    }

    /// <exception cref="NodeException">A condition names an unknown variable or operator, or a value of the wrong type.</exception>
    public static Func<LocalRecord, bool> Compile(IReadOnlyList<FilterCondition> filter, IReadOnlyDictionary<string, VariableDefinition> variables)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(variables);
        var conditions = filter.Select(c => Condition.For(c, variables)).ToArray();
        return record =>
        {
            foreach (var condition in conditions)
            {
                if (!condition.Holds(record))
                {
                    return false;
                }
            }
            return true;
        };
    }

    private sealed class Condition(VariableDefinition variable, string op, object[] operands, int? position)
    {
        private static readonly string[] Ops = ["eq", "ne", "lt", "le", "gt", "ge", "in"];

        public static Condition For(FilterCondition condition, IReadOnlyDictionary<string, VariableDefinition> variables)
        {
            var variable = variables.GetValueOrDefault(condition.Variable ?? string.Empty)
                ?? throw new NodeException($"The filter names variable '{condition.Variable}', which the cohort does not have.");
            var op = condition.Op is { } known && Ops.Contains(known) ? known : throw new NodeException($"The filter uses unknown operator '{condition.Op}'.");
            if (op == "in" && condition.Value.ValueKind != JsonValueKind.Array)
            {
                throw new NodeException($"The filter on '{variable.Name}' uses 'in' without an array.");
            }
            object[] operands = op == "in" ? [.. condition.Value.EnumerateArray().Select(item => Parse(variable, item))] : [Parse(variable, condition.Value)];
            int? position = null;
            if (op is "lt" or "le" or "gt" or "ge" && operands[0] is string wanted)
            {
                // Categories are ordered by the position the cohort declares them in (mild before severe).
                position = IndexOf(variable.Categories ?? [], wanted);
                if (position < 0)
                {
                    throw new NodeException($"The filter on '{variable.Name}' compares with {condition.Value.GetRawText()}, which is not one of its categories.");
                }
            }
            return new Condition(variable, op, operands, position);
        }

        public bool Holds(LocalRecord record)
        {
            var value = record.Values.GetValueOrDefault(variable.Name!);
            if (value is null)
            {
                return false;
            }
            if (op == "in")
            {
                return operands.Any(operand => Compare(value, operand) == 0);
            }
            if (position is { } wanted && value is string category)
            {
                // A category the job does not know (added to the cohort after the job was submitted) is in no range.
                var own = IndexOf(variable.Categories ?? [], category);
                return own >= 0 && Satisfies(own.CompareTo(wanted));
            }
            return Satisfies(Compare(value, operands[0]));
        }

        private bool Satisfies(int order) =>
            op switch
            {
                "eq" => order == 0,
                "ne" => order != 0,
                "lt" => order < 0,
                "le" => order <= 0,
                "gt" => order > 0,
                _ => order >= 0,
            };

        /// <summary>Orders the record's value against the operand; categories are equal only when spelled the same.</summary>
        private int Compare(object value, object operand) =>
            (value, operand) switch
            {
                (long integer, decimal number) => ((decimal)integer).CompareTo(number),
                (decimal own, decimal number) => own.CompareTo(number),
                (bool flag, bool other) => flag.CompareTo(other),
                (DateOnly date, DateOnly other) => date.CompareTo(other),
                (string category, string other) => string.Equals(category, other, StringComparison.Ordinal) ? 0 : 1,
                _ => throw new NodeException($"Variable '{variable.Name}' has a value the filter cannot compare."),
            };

        /// <summary>The operand as the variable's values are held: a number, a flag, a date or a category.</summary>
        private static object Parse(VariableDefinition variable, JsonElement operand)
        {
            try
            {
                return variable.Type switch
                {
                    VariableTypes.Integer or VariableTypes.Decimal => operand.GetDecimal(),
                    VariableTypes.Boolean => operand.GetBoolean(),
                    VariableTypes.Date => DateOnly.ParseExact(operand.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    VariableTypes.Categorical => operand.GetString()!,
                    _ => throw new NodeException($"Variable '{variable.Name}' has a type the filter cannot compare ({variable.Type})."),
                };
            }
            catch (Exception exception) when (exception is InvalidOperationException or FormatException or ArgumentNullException)
            {
                throw new NodeException($"The filter on '{variable.Name}' ({variable.Type}) has a value of the wrong type.", exception);
            }
        }
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
