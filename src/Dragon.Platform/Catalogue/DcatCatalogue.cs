using System.Globalization;
using Dragon.Platform.Persistence;
using Dragon.Platform.Policies;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Catalogue;

/// <summary>
/// The catalogue as DCAT-AP: a <c>dcat:Catalog</c> with one <c>dcat:Dataset</c> per cohort (its id, title, description,
/// population, countries as EU country authority IRIs, variables as keywords, the hospital that publishes it, dates, and
/// restricted access). Its data use is an ODRL offer in DUO terms: one permission per DUO permission code (any of them
/// grants use, its purpose constrained to that code), each carrying the cohort's DUO modifiers as duties. The terms'
/// labels come along, from <c>policies/data-use.json</c>.
/// </summary>
public sealed class DcatCatalogue(DragonDbContext db, DataUsePolicy dataUse)
{
    private const string Dcat = "http://www.w3.org/ns/dcat#";
    private const string Dct = "http://purl.org/dc/terms/";
    private const string Foaf = "http://xmlns.com/foaf/0.1/";
    private const string Odrl = "http://www.w3.org/ns/odrl/2/";
    private const string Rdfs = "http://www.w3.org/2000/01/rdf-schema#";
    private const string Xsd = "http://www.w3.org/2001/XMLSchema#";
    private const string Obo = "http://purl.obolibrary.org/obo/";
    private const string Country = "http://publications.europa.eu/resource/authority/country/";
    private const string Restricted = "http://publications.europa.eu/resource/authority/access-right/RESTRICTED";

    private static readonly Dictionary<string, string> Prefixes = new()
    {
        ["dcat"] = Dcat, ["dct"] = Dct, ["foaf"] = Foaf, ["odrl"] = Odrl, ["rdfs"] = Rdfs, ["xsd"] = Xsd, ["obo"] = Obo,
    };

    /// <param name="baseUri">The platform's address as the caller reached it: the datasets are its cohorts' URLs.</param>
    public async Task<RdfGraph> BuildAsync(Uri baseUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        var cohorts = await db.Cohorts.AsNoTracking().Include(c => c.Variables).OrderBy(c => c.Name).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        var nodeIds = cohorts.Select(c => c.NodeId).OfType<Guid>().Distinct().ToList();
        var nodes = await db.Nodes.AsNoTracking().Where(n => nodeIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, n => n.Organisation, cancellationToken);

        var graph = new RdfGraph(Prefixes);
        var catalogue = RdfTerm.Iri(new Uri(baseUri, "api/v1/catalogue/dcat").ToString());
        graph.Add(catalogue, RdfGraph.RdfType, RdfTerm.Iri(Dcat + "Catalog"));
        graph.Add(catalogue, Dct + "title", RdfTerm.Text("Dragon Platform cohort catalogue"));
        graph.Add(catalogue, Dct + "description", RdfTerm.Text("COVID-19 cohorts held by the consortium's hospitals, analysed in place by encrypted aggregation."));
        var platform = RdfTerm.Iri(baseUri.ToString());
        graph.Add(catalogue, Dct + "publisher", platform);
        graph.Add(platform, RdfGraph.RdfType, RdfTerm.Iri(Foaf + "Agent"));
        graph.Add(platform, Foaf + "name", RdfTerm.Text("Dragon Platform"));
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cohort in cohorts)
        {
            var dataset = RdfTerm.Iri(new Uri(baseUri, $"api/v1/cohorts/{cohort.Id:D}").ToString());
            graph.Add(catalogue, Dcat + "dataset", dataset);
            graph.Add(dataset, RdfGraph.RdfType, RdfTerm.Iri(Dcat + "Dataset"));
            graph.Add(dataset, Dct + "identifier", RdfTerm.Typed(cohort.Id.ToString("D"), Xsd + "string"));
            graph.Add(dataset, Dct + "title", RdfTerm.Text(cohort.Name));
            graph.Add(dataset, Dct + "description", RdfTerm.Text(cohort.Description));
            graph.Add(dataset, Dcat + "keyword", RdfTerm.Text(cohort.Population));
            foreach (var variable in cohort.Variables.Select(v => v.Label).Distinct(StringComparer.Ordinal))
            {
                graph.Add(dataset, Dcat + "keyword", RdfTerm.Text(variable));
            }
            foreach (var country in cohort.Countries)
            {
                graph.Add(dataset, Dct + "spatial", RdfTerm.Iri(Country + CountryCode(country)));
            }
            graph.Add(dataset, Dct + "issued", RdfTerm.Typed(cohort.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), Xsd + "dateTime"));
            graph.Add(dataset, Dct + "modified", RdfTerm.Typed(cohort.UpdatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), Xsd + "dateTime"));
            graph.Add(dataset, Dct + "accessRights", RdfTerm.Iri(Restricted));
            if (cohort.NodeId is { } nodeId && nodes.TryGetValue(nodeId, out var organisation))
            {
                var hospital = RdfTerm.Iri(new Uri(baseUri, $"api/v1/nodes/{nodeId:D}").ToString());
                graph.Add(dataset, Dct + "publisher", hospital);
                graph.Add(hospital, RdfGraph.RdfType, RdfTerm.Iri(Foaf + "Agent"));
                graph.Add(hospital, Foaf + "name", RdfTerm.Text(organisation));
            }
            AddDataUse(graph, dataset, cohort, used);
        }
        foreach (var code in used.Order(StringComparer.Ordinal))
        {
            if (dataUse.Find(code) is { } term)
            {
                graph.Add(RdfTerm.Iri(DuoIri(code)), Rdfs + "label", RdfTerm.Text(term.Label));
            }
        }
        return graph;
    }

    public static string DuoIri(string code) => Obo + code.Replace(':', '_');

    private void AddDataUse(RdfGraph graph, RdfTerm dataset, Cohort cohort, HashSet<string> used)
    {
        var kinds = cohort.DataUse.ToLookup(code => dataUse.Find(code)?.Kind ?? DataUseTermKind.Modifier);
        var policy = RdfTerm.Blank($"policy-{cohort.Id:N}");
        graph.Add(dataset, Odrl + "hasPolicy", policy);
        graph.Add(policy, RdfGraph.RdfType, RdfTerm.Iri(Odrl + "Offer"));
        foreach (var permission in kinds[DataUseTermKind.Permission])
        {
            var grant = RdfTerm.Blank($"permission-{cohort.Id:N}-{permission.Replace(':', '-')}");
            var constraint = RdfTerm.Blank($"purpose-{cohort.Id:N}-{permission.Replace(':', '-')}");
            graph.Add(policy, Odrl + "permission", grant);
            graph.Add(grant, Odrl + "target", dataset);
            graph.Add(grant, Odrl + "action", RdfTerm.Iri(Odrl + "use"));
            graph.Add(grant, Odrl + "constraint", constraint);
            graph.Add(constraint, Odrl + "leftOperand", RdfTerm.Iri(Odrl + "purpose"));
            graph.Add(constraint, Odrl + "operator", RdfTerm.Iri(Odrl + "isA"));
            graph.Add(constraint, Odrl + "rightOperand", RdfTerm.Iri(DuoIri(permission)));
            used.Add(permission);
            foreach (var modifier in kinds[DataUseTermKind.Modifier])
            {
                var duty = RdfTerm.Blank($"duty-{cohort.Id:N}-{permission.Replace(':', '-')}-{modifier.Replace(':', '-')}");
                graph.Add(grant, Odrl + "duty", duty);
                graph.Add(duty, Odrl + "action", RdfTerm.Iri(DuoIri(modifier)));
                used.Add(modifier);
            }
        }
    }

    /// <summary>The EU authority's country code (ISO 3166-1 alpha-3) for a cohort's alpha-2 code.</summary>
    private static string CountryCode(string alpha2)
    {
        try
        {
            return new RegionInfo(alpha2).ThreeLetterISORegionName;
        }
        catch (ArgumentException)
        {
            return alpha2.ToUpperInvariant();
        }
    }
}
