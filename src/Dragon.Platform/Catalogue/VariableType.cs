namespace Dragon.Platform.Catalogue;

public enum VariableType
{
    Integer,
    Decimal,
    Categorical,
    Boolean,
    Date,
}
