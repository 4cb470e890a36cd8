# Reads the catalogue's two DCAT-AP forms with rdflib (Debian's python3-rdflib): prints, as JSON, whether they are the
# same graph, how many triples each has, and each dataset as a SPARQL query over the Turtle finds it.
import json
import sys

from rdflib import Graph
from rdflib.compare import isomorphic

turtle = Graph().parse(sys.argv[1], format="turtle")
jsonld = Graph().parse(sys.argv[2], format="json-ld")

datasets = {}
for row in turtle.query("""
    PREFIX dcat: <http://www.w3.org/ns/dcat#>
    PREFIX dct: <http://purl.org/dc/terms/>
    PREFIX foaf: <http://xmlns.com/foaf/0.1/>
    SELECT ?dataset ?identifier ?title ?spatial ?publisher WHERE {
        ?catalogue a dcat:Catalog ; dcat:dataset ?dataset .
        ?dataset a dcat:Dataset ; dct:identifier ?identifier ; dct:title ?title ; dct:spatial ?spatial .
        OPTIONAL { ?dataset dct:publisher/foaf:name ?publisher }
    }"""):
    entry = datasets.setdefault(str(row.identifier), {"iri": str(row.dataset), "title": str(row.title), "spatial": [], "purposes": [], "duties": []})
    entry["spatial"].append(str(row.spatial))
    entry["publisher"] = None if row.publisher is None else str(row.publisher)

for row in turtle.query("""
    PREFIX dct: <http://purl.org/dc/terms/>
    PREFIX odrl: <http://www.w3.org/ns/odrl/2/>
    SELECT ?identifier ?purpose ?duty WHERE {
        ?dataset dct:identifier ?identifier ; odrl:hasPolicy ?policy .
        ?policy a odrl:Offer ; odrl:permission ?permission .
        ?permission odrl:action odrl:use ; odrl:constraint ?constraint .
        ?constraint odrl:leftOperand odrl:purpose ; odrl:operator odrl:isA ; odrl:rightOperand ?purpose .
        OPTIONAL { ?permission odrl:duty/odrl:action ?duty }
    }"""):
    entry = datasets[str(row.identifier)]
    entry["purposes"] = sorted(set(entry["purposes"]) | {str(row.purpose)})
    if row.duty is not None:
        entry["duties"] = sorted(set(entry["duties"]) | {str(row.duty)})

print(json.dumps({"isomorphic": isomorphic(turtle, jsonld), "turtleTriples": len(turtle), "jsonLdTriples": len(jsonld), "datasets": datasets}))
