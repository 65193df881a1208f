"""The management dashboard: objective 4 indicators, funnel, community vitality, exports."""
