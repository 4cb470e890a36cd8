namespace Dragon.Platform.Api.Demo;

/// <summary>A partner site of the demo consortium; <paramref name="Prefix"/> starts its pseudonyms and <paramref name="Seed"/> fixes its patients.</summary>
public sealed record DemoHospital(string Name, string Organisation, string Country, string Prefix, int Seed)
{
    public static IReadOnlyList<DemoHospital> Consortium { get; } =
    [
        new("Radboud", "Radboud University Medical Center", "NL", "rad", 11),
        new("Charite", "Charite Universitaetsmedizin Berlin", "DE", "cha", 23),
        new("Sant Pau", "Hospital de la Santa Creu i Sant Pau", "ES", "stp", 37),
    ];
}
