"""Other systems told of case events: webhook subscribers, their signatures and the rules of delivery."""
