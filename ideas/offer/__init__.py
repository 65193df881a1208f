"""The catalogue of new services of Canopé's offer (offre de services) and their origins."""
